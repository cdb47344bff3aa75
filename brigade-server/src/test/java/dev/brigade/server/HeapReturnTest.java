package dev.brigade.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link HeapReturn} in fresh JVMs ({@link HeapReturnProbe}), since the flags it sets are the whole
 * process's: what it changes under G1's defaults, what it leaves when the operator set a flag or
 * another collector runs, and that a heap grown by a burst is given back at the next full GC.
 */
@Timeout(120)
class HeapReturnTest {
    @Test
    void underG1sDefaultsItSetsBothRatiosAndThePeriodicCollection() throws Exception {
        Map<String, String> out = probe(List.of());
        assertThat(out.get("changed")).isEqualTo("MinHeapFreeRatio=10,MaxHeapFreeRatio=30,G1PeriodicGCInterval=60000");
        assertThat(out).containsEntry("MinHeapFreeRatio", "10").containsEntry("MaxHeapFreeRatio", "30")
                .containsEntry("G1PeriodicGCInterval", "60000");
    }

    @Test
    void aHeapGrownByABurstIsGivenBackAtTheNextFullCollection() throws Exception {
        double free = freeAfterFullCollection(probe(List.of()));
        double freeWithout = freeAfterFullCollection(probe(List.of(), "skip"));
        // About 30% free with HeapReturn (27-35% seen: G1 rounds to regions and keeps a young reserve);
        // by G1's defaults at least 40% (MinHeapFreeRatio; 50-72% seen, as far as the burst grew the heap).
        assertThat(free).as("share of the committed heap left free").isLessThan(0.38);
        assertThat(freeWithout).as("the same without HeapReturn (what it is for)").isGreaterThanOrEqualTo(0.39);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-XX:MaxHeapFreeRatio=50", "-XX:MinHeapFreeRatio=20"})
    void ratiosTheOperatorSetAreLeftAloneAndCountAsOneSetting(String flag) throws Exception {
        Map<String, String> out = probe(List.of(flag));
        assertThat(out.get("changed")).isEqualTo("G1PeriodicGCInterval=60000");
        String name = flag.substring(4, flag.indexOf('='));
        assertThat(out).containsEntry(name, flag.substring(flag.indexOf('=') + 1));
        assertThat(out.get("MinHeapFreeRatio")).isNotEqualTo("10");
        assertThat(out.get("MaxHeapFreeRatio")).isNotEqualTo("30");
    }

    @Test
    void aFlagFromJavaToolOptionsIsTheOperatorsToo() throws Exception {
        Map<String, String> out = probe(List.of(), Map.of("JAVA_TOOL_OPTIONS", "-XX:G1PeriodicGCInterval=7000"));
        assertThat(out.get("changed")).isEqualTo("MinHeapFreeRatio=10,MaxHeapFreeRatio=30");
        assertThat(out).containsEntry("G1PeriodicGCInterval", "7000");
    }

    @Test
    void aPeriodicIntervalTheOperatorSetIsLeftAlone() throws Exception {
        Map<String, String> out = probe(List.of("-XX:G1PeriodicGCInterval=5000"));
        assertThat(out.get("changed")).isEqualTo("MinHeapFreeRatio=10,MaxHeapFreeRatio=30");
        assertThat(out).containsEntry("G1PeriodicGCInterval", "5000");
    }

    @Test
    void anotherCollectorIsLeftAlone() throws Exception {
        Map<String, String> out = probe(List.of("-XX:-UseG1GC", "-XX:+UseSerialGC"));
        assertThat(out.get("changed")).isEmpty();
        assertThat(out).containsEntry("MinHeapFreeRatio", "40").containsEntry("MaxHeapFreeRatio", "70")
                .containsEntry("G1PeriodicGCInterval", "0");
    }

    private static double freeAfterFullCollection(Map<String, String> probe) {
        double committed = Long.parseLong(probe.get("committed"));
        return 1 - Long.parseLong(probe.get("used")) / committed;
    }

    private static Map<String, String> probe(List<String> jvmFlags, String... args) throws Exception {
        return probe(jvmFlags, Map.of(), args);
    }

    /**
     * Runs the probe in a JVM with these flags and environment; its output as a map. G1 and the heap's
     * bounds are given, since the JVM's own choice depends on the machine (Serial below 2 CPUs or
     * 1792 MB, a heap of 1/64 of the memory).
     */
    private static Map<String, String> probe(List<String> jvmFlags, Map<String, String> env, String... args)
            throws Exception {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String cp = location(HeapReturn.class) + File.pathSeparator + location(HeapReturnProbe.class);
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseG1GC", "-Xms8m", "-Xmx512m", "-XX:G1HeapRegionSize=1m"));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", cp, HeapReturnProbe.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().putAll(env);
        Process p = pb.start();
        String text;
        try (InputStream in = p.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("probe output: %s", text).isZero();
        Map<String, String> out = new HashMap<>();
        for (String line : text.strip().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return out;
    }

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
