package dev.brigade;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the layering of DESIGN.md: reads every import of the library's sources and fails when a
 * package imports a Brigade package its row of the table does not allow.
 */
class ArchitectureTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/brigade");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?dev\\.brigade\\.(\\w+)", Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("\\bdev\\.brigade\\.(\\w+)\\.[A-Z]");

    /** DESIGN.md, "Layout": which Brigade packages each package may use (besides itself and the JDK). */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("buffer", Set.of()),
            Map.entry("http1", Set.of("buffer")),
            Map.entry("loop", Set.of("buffer")),
            Map.entry("api", Set.of()),
            Map.entry("dispatch", Set.of("api")),
            Map.entry("filter", Set.of("api", "buffer")),
            Map.entry("tls", Set.of("filter", "buffer", "loop")),
            Map.entry("files", Set.of("api", "filter", "buffer")),
            Map.entry("conn", Set.of("buffer", "http1", "loop", "api", "dispatch", "filter")),
            Map.entry("status", Set.of("api", "conn")),
            Map.entry("server", Set.of("buffer", "http1", "loop", "api", "dispatch", "filter", "tls", "files", "conn", "status")));

    @Test
    void everyPackageImportsOnlyWhatTheDesignAllows() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path rel = SOURCES.relativize(file);
                if (rel.getNameCount() < 2) {
                    continue; // module-info.java and other root files
                }
                String pkg = rel.getName(0).toString();
                Set<String> allowed = ALLOWED.get(pkg);
                if (allowed == null) {
                    violations.add(rel + ": package '" + pkg + "' is not in DESIGN.md's table");
                    continue;
                }
                String source = Files.readString(file);
                for (String used : usedPackages(source)) {
                    if (!used.equals(pkg) && !allowed.contains(used)) {
                        violations.add(rel + ": " + pkg + " must not use " + used);
                    }
                }
            }
        }
        assertThat(violations).as("layering violations").isEmpty();
    }

    @Test
    void theCheckSeesAnImportThatBreaksTheRules() {
        String source = "package dev.brigade.http1;\nimport dev.brigade.conn.Connection;\n";
        assertThat(usedPackages(source)).contains("conn");
        assertThat(ALLOWED.get("http1")).doesNotContain("conn");
    }

    @Test
    void fullyQualifiedUsesCountAsImports() {
        assertThat(usedPackages("class X { dev.brigade.api.Status s; }")).containsExactly("api");
    }

    static Set<String> usedPackages(String source) {
        Set<String> used = new java.util.TreeSet<>();
        Matcher m = IMPORT.matcher(source);
        while (m.find()) {
            used.add(m.group(1));
        }
        Matcher q = QUALIFIED.matcher(source.replaceAll("(?m)^(package|import) .*$", ""));
        while (q.find()) {
            used.add(q.group(1));
        }
        return used;
    }
}
