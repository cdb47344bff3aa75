package dev.brigade;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the layering of DESIGN.md, checked on the compiled classes with ArchUnit (every
 * dependency the bytecode has — imports, fully qualified names, fields, calls, lambdas — not only
 * what the source text spells): a package may use only the Brigade packages its row of the table
 * allows, and the HTTP/1 parser stays pure.
 */
class ArchitectureTest {

    /** DESIGN.md, "Layout": which Brigade packages each package may use (besides itself and the JDK). */
    static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("buffer", Set.of()),
            Map.entry("http1", Set.of("buffer")),
            Map.entry("net", Set.of()),
            Map.entry("loop", Set.of("buffer", "net")),
            Map.entry("api", Set.of()),
            Map.entry("dispatch", Set.of("api")),
            Map.entry("filter", Set.of("api", "buffer", "net")),
            Map.entry("tls", Set.of("filter", "buffer", "loop")),
            Map.entry("files", Set.of("api", "filter", "buffer")),
            Map.entry("conn", Set.of("buffer", "http1", "loop", "api", "dispatch", "filter", "net")),
            Map.entry("status", Set.of("api", "conn")),
            Map.entry("server", Set.of("buffer", "http1", "loop", "api", "dispatch", "filter", "tls", "files", "conn", "status", "net")));

    private static JavaClasses library;

    @BeforeAll
    static void importLibrary() {
        library = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.brigade");
        assertThat(library).as("the library's classes were found").isNotEmpty();
    }

    /** The rule for one package: no dependency on a Brigade package outside its row. */
    static ArchRule rowOf(String pkg) {
        Set<String> forbidden = new TreeSet<>(ALLOWED.keySet());
        forbidden.remove(pkg);
        forbidden.removeAll(ALLOWED.get(pkg));
        String[] packages = forbidden.stream().map(p -> "dev.brigade." + p + "..").toArray(String[]::new);
        return noClasses().that().resideInAPackage("dev.brigade." + pkg + "..")
                .should().dependOnClassesThat().resideInAnyPackage(packages)
                .allowEmptyShould(true)
                .because("DESIGN.md's table lets " + pkg + " use only " + ALLOWED.get(pkg));
    }

    @Test
    void everyPackageUsesOnlyWhatTheDesignAllows() {
        StringBuilder violations = new StringBuilder();
        for (String pkg : ALLOWED.keySet()) {
            EvaluationResult r = rowOf(pkg).evaluate(library);
            if (r.hasViolation()) {
                violations.append(r.getFailureReport()).append('\n');
            }
        }
        assertThat(violations.toString()).as("layering violations").isEmpty();
    }

    @Test
    void everyPackageIsInTheTable() {
        Set<String> found = new TreeSet<>();
        library.forEach(c -> {
            String p = c.getPackageName();
            if (p.startsWith("dev.brigade.")) {
                found.add(p.substring("dev.brigade.".length()).split("\\.")[0]);
            }
        });
        assertThat(ALLOWED.keySet()).as("DESIGN.md's table names every package").containsAll(found);
    }

    @Test
    void theHttp1ParserUsesNoChannelsThreadsClocksOrLogging() {
        noClasses().that().resideInAPackage("dev.brigade.http1..")
                .should().dependOnClassesThat().resideInAnyPackage("java.nio.channels..", "java.net..",
                        "java.util.concurrent..", "java.util.logging..", "java.lang.management..")
                .orShould().dependOnClassesThat().belongToAnyOf(Thread.class, System.Logger.class,
                        java.time.Clock.class)
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(java.time.Instant.class, "now")
                .because("the parser is pure: bytes in, events out (DESIGN.md)")
                .check(library);
    }

    @Test
    void aForbiddenDependencyIsCaughtWhateverTheSourceSpelling() {
        // the checker sees bytecode: a class of the library that uses a forbidden package through a
        // fully qualified name, a field type or a lambda is reported like one that imports it
        JavaClasses probe = new ClassFileImporter().importClasses(Probe.class, dev.brigade.conn.Connection.class);
        ArchRule rule = noClasses().that().haveSimpleName("Probe")
                .should().dependOnClassesThat().resideInAPackage("dev.brigade.conn..");
        assertThat(rule.evaluate(probe).hasViolation()).isTrue();
    }

    /** Spells a dependency on conn without an import. */
    static final class Probe {
        Object use() {
            return (java.util.function.Supplier<Object>) () -> dev.brigade.conn.Connection.class;
        }
    }
}
