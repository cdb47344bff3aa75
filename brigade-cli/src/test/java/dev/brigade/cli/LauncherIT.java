package dev.brigade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code brigade} through the checkout's {@code ./brigade} launcher, as an operator meets it: every
 * mistake of issue 10 is one line naming what is wrong and the right exit code (2 for a bad option or
 * value, 1 for the machine or a file), never a stack trace; the banner names what is bound; SIGTERM
 * and SIGINT exit 0; the demo routes stay out of an operator's site.
 */
class LauncherIT {

    @TempDir
    Path dir;

    static Stream<Arguments> badUsage() {
        return Stream.of(
                // args, exit code, what the line must name
                Arguments.of(List.of("--port", "99999"), 2, List.of("--port", "'99999'")),
                Arguments.of(List.of("--port", "-5"), 2, List.of("--port", "'-5'")),
                Arguments.of(List.of("--gzip", "10"), 2, List.of("--gzip", "'10'")),
                Arguments.of(List.of("--loops", "0"), 2, List.of("--loops", "'0'")),
                Arguments.of(List.of("--access-log", "/nonexistent/x"), 1, List.of("--access-log", "/nonexistent/x", "no such file")),
                Arguments.of(List.of("--bind", "10.99.99.99"), 1, List.of("--bind", "10.99.99.99", "no interface")),
                Arguments.of(List.of("--bind", "loclhost"), 1, List.of("--bind", "loclhost", "no such address")),
                Arguments.of(List.of("--bridge", "bogus"), 2, List.of("--bridge", "'bogus'")),
                Arguments.of(List.of("--transport", "kqueue"), 2, List.of("--transport", "'kqueue'", "nio, epoll or auto")),
                Arguments.of(List.of("--mime", "bogus"), 2, List.of("--mime", "'bogus'")),
                Arguments.of(List.of("--cache-control", "bogus"), 2, List.of("--cache-control", "'bogus'")),
                Arguments.of(List.of("--cache-control", "[=x"), 2, List.of("--cache-control", "'[=x'", "not a glob")),
                Arguments.of(List.of("--bridge", "pool:abc"), 2, List.of("--bridge", "'pool:abc'", "'abc'")),
                Arguments.of(List.of("--frobnicate"), 2, List.of("'--frobnicate'", "--help")),
                Arguments.of(List.of("--gzp", "3"), 2, List.of("'--gzp'", "did you mean --gzip")),
                Arguments.of(List.of("--cache-size", "-1"), 2, List.of("--cache-size", "'-1'")),
                Arguments.of(List.of("--shutdown-timeout", "-1"), 2, List.of("--shutdown-timeout", "'-1'")),
                Arguments.of(List.of("--index", "../outside/secret.txt"), 2, List.of("--index", "'../outside/secret.txt'")),
                Arguments.of(List.of("--root", "/nonexistent"), 2, List.of("--root", "/nonexistent", "not a directory")),
                Arguments.of(List.of("--hsts", "5"), 2, List.of("--hsts", "needs HTTPS")));
    }

    @ParameterizedTest(name = "brigade serve {0}: exit {1}")
    @MethodSource("badUsage")
    void aMistakeIsOneLineAndTheRightExitCode(List<String> args, int exitCode, List<String> names) throws Exception {
        // --port 0 on 127.0.0.1 and no access log unless the case is about them: should a check not fire, nothing collides
        List<String> all = new java.util.ArrayList<>(List.of("serve"));
        for (String[] d : new String[][] {{"--port", "0"}, {"--bind", "127.0.0.1"}, {"--access-log", "off"}}) {
            if (!args.contains(d[0])) {
                all.addAll(List.of(d));
            }
        }
        all.addAll(args);
        assertOneLine(Launcher.run(dir, all.toArray(String[]::new)), exitCode, names);
    }

    @Test
    void aPortInUseIsOneLineAndExit1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(taken.getLocalPort());
            assertOneLine(Launcher.run(dir, "serve", "--port", port, "--bind", "127.0.0.1"), 1,
                    List.of("127.0.0.1:" + port, "--port", "already in use"));
        }
    }

    static Stream<Arguments> badConfigFiles() {
        return Stream.of(
                Arguments.of("unknown key", "port: 0\nbind: 127.0.0.1\nfrobnicate: 3\n", 3, "frobnicate", "unknown key"),
                Arguments.of("bad value", "bind: 127.0.0.1\nport: 99999\n", 2, "port", "'99999' is not a port"),
                Arguments.of("a host's root missing", "port: 0\nbind: 127.0.0.1\nhosts:\n  - names: [a.test]\n    root: missing-dir\n",
                        5, "hosts[0].root", "not a directory"),
                Arguments.of("the root missing", "port: 0\nbind: 127.0.0.1\nroot: missing-dir\n", 3, "root", "not a directory"),
                Arguments.of("hsts without TLS", "port: 0\nbind: 127.0.0.1\nhsts: 5\n", 3, "hsts", "needs HTTPS"),
                Arguments.of("YAML syntax", "port: 0\nbind: 127.0.0.1\n  x: y\n", 3, "not valid YAML", "mapping values"));
    }

    @ParameterizedTest(name = "serve --config with {0}: FILE:{2}: {3}, exit 1")
    @MethodSource("badConfigFiles")
    void aBadConfigFileIsOneLineNamingFileLineAndKey(String what, String yaml, int line, String key, String why) throws Exception {
        Path file = Files.writeString(dir.resolve("brigade.yaml"), yaml);
        Launcher.Result r = Launcher.run(dir, "serve", "--config", file.toString());
        assertOneLine(r, 1, List.of(file + ":" + line + ": " + key, why));
        assertThat(r.lines().getFirst()).startsWith("brigade: " + file + ":" + line + ": ");
    }

    @Test
    void checkConfigExits0OnAGoodFileAnd1OnABadOne() throws Exception {
        Files.createDirectories(dir.resolve("site"));
        Path good = Files.writeString(dir.resolve("good.yaml"),
                "port: 0\nbind: 127.0.0.1\nroot: site\nhosts:\n  - names: [a.test, www.a.test]\n    root: site\n");
        Launcher.Result ok = Launcher.run(dir, "check-config", good.toString());
        assertOneLine(ok, 0, List.of(good.toString(), "valid", "a.test"));

        Path bad = Files.writeString(dir.resolve("bad.yaml"), "port: 0\ngzip: 10\n");
        assertOneLine(Launcher.run(dir, "check-config", bad.toString()), 1, List.of(bad + ":2: gzip", "'10'"));
    }

    @Test
    void withBindTheBannerIsExactlyThatUrl() throws Exception {
        try (Launcher b = Launcher.start(dir, "serve", "--port", "0", "--bind", "127.0.0.1", "--access-log", "off")) {
            b.await(Pattern.compile("^brigade: serving "), 60);
            String banner = b.seen().getLast();
            assertThat(banner).matches("brigade: serving the bundled sample site on http://127\\.0\\.0\\.1:\\d+/");
            b.signal("TERM");
            assertThat(b.awaitExit(30)).isZero();
        }
    }

    @Test
    void byDefaultTheBannerSaysEveryInterface() throws Exception {
        try (Launcher b = Launcher.start(dir, "serve", "--port", "0", "--access-log", "off")) {
            b.await(Pattern.compile("^brigade: serving "), 60);
            String banner = b.seen().getLast();
            assertThat(banner).containsPattern("http://127\\.0\\.0\\.1:\\d+/").containsPattern("\\(every (IPv4 )?interface\\)$");
            b.signal("TERM");
            assertThat(b.awaitExit(30)).isZero();
        }
    }

    @Test
    void sigtermAfterServingARequestExits0() throws Exception {
        try (Launcher b = Launcher.start(dir, "serve", "--port", "0", "--bind", "127.0.0.1", "--access-log", "off")) {
            int port = b.awaitBanner();
            assertThat(get(port, "/hello").body()).contains("Hello");
            b.signal("TERM"); // not Process.destroy(): it closes our end of the output too
            b.await(Pattern.compile("^brigade: stopped: 1 requests received"), 30);
            assertThat(b.awaitExit(30)).isZero();
            assertNoTrace(b.seen());
        }
    }

    @Test
    void theServersJvmGivesFreeHeapBackToTheSystem() throws Exception {
        // The server's JVM picks its collector as this one did (same machine, same JDK): Serial on a
        // small machine, and HeapReturn leaves Serial alone.
        assumeTrue(ManagementFactory.getGarbageCollectorMXBeans().stream().anyMatch(gc -> gc.getName().startsWith("G1")),
                "the JVM picks G1 here");
        try (Launcher b = Launcher.start(dir, "serve", "--port", "0", "--bind", "127.0.0.1", "--access-log", "off")) {
            b.awaitBanner();
            assertThat(b.jcmd("VM.flags")).containsPattern("-XX:MaxHeapFreeRatio=30\\b")
                    .containsPattern("-XX:MinHeapFreeRatio=10\\b").containsPattern("-XX:G1PeriodicGCInterval=60000\\b");
            b.signal("TERM");
            assertThat(b.awaitExit(30)).isZero();
        }
    }

    @Test
    void debugLoggingShowsBrigadesDebugLinesAndNoStackTrace() throws Exception {
        try (Launcher b = Launcher.start(dir, "serve", "--port", "0", "--bind", "127.0.0.1", "--access-log", "off",
                "--log-level", "debug")) {
            int port = b.awaitBanner();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                s.getInputStream().readAllBytes();
            }
            b.await(Pattern.compile(" FINE conn \\d+: 400 both Transfer-Encoding and Content-Length"), 30);
            b.signal("TERM");
            b.await(Pattern.compile("^brigade: stopped: "), 30);
            assertThat(b.awaitExit(30)).isZero();
            assertNoTrace(b.allOutput(30)); // the JDK logs Runtime.exit with a stack trace at its own debug level
        }
    }

    @Test
    void sigintExits0() throws Exception {
        // A shell without job control starts background commands with SIGINT ignored, and the JVM
        // keeps an ignored SIGINT ignored (as after nohup): Ctrl-C then never reaches brigade. Java's
        // ProcessBuilder passes on what this JVM has; it must not be ignored here for the test to mean anything.
        assumeFalse(sigintIgnored(ProcessHandle.current().pid()), "this test JVM was started with SIGINT ignored");
        try (Launcher b = Launcher.start(dir, "serve", "--port", "0", "--bind", "127.0.0.1", "--access-log", "off")) {
            int port = b.awaitBanner();
            assertThat(sigintIgnored(b.pid())).as("SIGINT reaches the server").isFalse();
            assertThat(get(port, "/hello").statusCode()).isEqualTo(200);
            b.signal("INT");
            b.await(Pattern.compile("^brigade: stopped: "), 30);
            assertThat(b.awaitExit(30)).isZero();
            assertNoTrace(b.seen());
        }
    }

    @Test
    void underNohupAWarningSaysThatSighupWillNotReload() throws Exception {
        assumeFalse(signalIgnored(ProcessHandle.current().pid(), SIGHUP), "this test JVM was started with SIGHUP ignored");
        try (Launcher b = Launcher.start(dir, "serve", "--port", "0", "--bind", "127.0.0.1", "--access-log", "off")) {
            b.awaitBanner();
            assertThat(b.seen()).noneMatch(l -> l.contains("SIGHUP"));
            b.signal("TERM");
            assertThat(b.awaitExit(30)).isZero();
        }
        try (Launcher b = Launcher.startUnder(List.of("nohup"), dir, "serve", "--port", "0", "--bind", "127.0.0.1",
                "--access-log", "off")) {
            b.await(Pattern.compile("^brigade: warning: SIGHUP was ignored when this process started \\(nohup\\?\\)"), 60);
            assertThat(signalIgnored(b.pid(), SIGHUP)).as("nohup left SIGHUP ignored").isTrue();
            int port = b.awaitBanner();
            assertThat(get(port, "/hello").statusCode()).isEqualTo(200); // it serves all the same
            b.signal("TERM");
            assertThat(b.awaitExit(30)).isZero();
            assertNoTrace(b.seen());
        }
    }

    @Test
    void withRootTheDemoRoutesAreOff() throws Exception {
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("index.html"), "my site\n");
        try (Launcher b = Launcher.start(dir, "serve", "--port", "0", "--bind", "127.0.0.1", "--access-log", "off",
                "--root", site.toString())) {
            int port = b.awaitBanner();
            assertThat(get(port, "/").body()).isEqualTo("my site\n");
            assertThat(get(port, "/echo").statusCode()).isEqualTo(404);
            assertThat(get(port, "/hello").statusCode()).isEqualTo(404);
            assertThat(get(port, "/json").statusCode()).isEqualTo(404);
            b.signal("TERM");
            assertThat(b.awaitExit(30)).isZero();
        }
    }

    @Test
    void withRootAndDemoAFileWinsOverTheDemoRouteOfItsName() throws Exception {
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("hello"), "my own hello\n");
        try (Launcher b = Launcher.start(dir, "serve", "--port", "0", "--bind", "127.0.0.1", "--access-log", "off",
                "--root", site.toString(), "--demo")) {
            int port = b.awaitBanner();
            assertThat(get(port, "/hello").body()).isEqualTo("my own hello\n");
            HttpResponse<String> json = get(port, "/json");
            assertThat(json.statusCode()).as("the demo routes are on").isEqualTo(200);
            assertThat(json.body()).contains("Hello, World!");
            b.signal("TERM");
            assertThat(b.awaitExit(30)).isZero();
        }
    }

    @Test
    void theSamplePageNamesTheRealPort() throws Exception {
        try (Launcher b = Launcher.start(dir, "serve", "--port", "0", "--bind", "127.0.0.1", "--access-log", "off")) {
            int port = b.awaitBanner();
            assertThat(port).isNotEqualTo(8080);
            String page = rawGet(port, "/", "127.0.0.1:" + port);
            assertThat(page).startsWith("HTTP/1.1 200").contains("127.0.0.1:" + port + "/echo").doesNotContain(":8080");
            b.signal("TERM");
            assertThat(b.awaitExit(30)).isZero();
        }
    }

    private static void assertOneLine(Launcher.Result r, int exitCode, List<String> names) {
        assertThat(r.lines()).as("the output of a mistake is one line").hasSize(1);
        String line = r.lines().getFirst();
        assertThat(r.exitCode()).as(line).isEqualTo(exitCode);
        assertThat(line).startsWith("brigade").contains(names).doesNotContain("Usage:");
        assertNoTrace(r.lines());
    }

    private static void assertNoTrace(List<String> lines) {
        for (String l : lines) {
            assertThat(l).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    /** Whether SIGINT (2) is in the process's ignored set, from /proc (Linux). */
    private static final int SIGHUP = 1;
    private static final int SIGINT = 2;

    private static boolean sigintIgnored(long pid) throws Exception {
        return signalIgnored(pid, SIGINT);
    }

    private static boolean signalIgnored(long pid, int signal) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (l.startsWith("SigIgn:")) {
                return (Long.parseLong(l.substring(7).trim(), 16) & (1L << (signal - 1))) != 0;
            }
        }
        throw new AssertionError("no SigIgn in /proc/" + pid + "/status");
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        try (HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(java.time.Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** One GET on a new connection with the Host given, read to the close. */
    static String rawGet(int port, String path, String host) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
