package dev.brigade.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution tarball as a user gets it: unpacked with tar, run through bin/brigade with no Maven
 * and no class path of the build's, stopped with SIGTERM by its PID.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DistributionIT {

    static final String VERSION = System.getProperty("brigade.version");

    @TempDir
    static Path tmp;
    static Path home; // the unpacked brigade-VERSION/

    @BeforeAll
    static void unpack() throws Exception {
        Path tarball = Path.of(System.getProperty("brigade.dist"));
        assertThat(tarball).exists();
        Proc.Result tar = Proc.run(tmp, List.of("tar", "-xzf", tarball.toString()));
        assertThat(tar.exit()).as(tar.output()).isZero();
        home = tmp.resolve("brigade-" + VERSION);
    }

    @Test
    void hasTheLauncherTheJarsAnExampleConfigTheUnitAndAReadme() throws Exception {
        assertThat(Files.getPosixFilePermissions(home.resolve("bin/brigade")))
                .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            assertThat(jars.map(p -> p.getFileName().toString()))
                    .contains("brigade-cli-" + VERSION + ".jar", "brigade-server-" + VERSION + ".jar", "find-jdk.sh")
                    .anyMatch(n -> n.startsWith("picocli-"));
        }
        assertThat(home.resolve("conf/brigade.yaml")).content().contains("port: 8080", "health: true");
        assertThat(home.resolve("README")).content().contains("bin/brigade serve", "systemd");
        assertThat(home.resolve("systemd/brigade.service")).content()
                .contains("ExecReload=/bin/kill -HUP $MAINPID", "KillSignal=SIGTERM", "NoNewPrivileges=yes");
    }

    @Test
    void versionRunsOnTheJdkItFinds() throws Exception {
        Proc.Result r = Proc.run(tmp, List.of(home.resolve("bin/brigade").toString(), "--version"));
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("brigade " + VERSION, "Java 25");
    }

    @Test
    void looksElsewhereWhenJavaHomeIsNoJdkAndPassesBrigadeJavaOpts() throws Exception {
        Proc.Result r = Proc.run(tmp, env -> {
            env.put("JAVA_HOME", "/nonexistent");
            env.put("BRIGADE_JAVA_OPTS", "-XshowSettings:properties");
        }, List.of(home.resolve("bin/brigade").toString(), "--version"));
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("JAVA_HOME=/nonexistent is not a JDK", "java.home = ", "brigade " + VERSION);
    }

    @Test
    void runsThroughASymlink() throws Exception {
        Path link = Files.createDirectories(tmp.resolve("usr-local-bin")).resolve("brigade");
        Files.createSymbolicLink(link, home.resolve("bin/brigade"));
        Proc.Result r = Proc.run(tmp, List.of(link.toString(), "--version"));
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("brigade " + VERSION);
    }

    @Test
    void servesOnLoopbackAndStopsOnSigterm() throws Exception {
        Path site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("hello.txt"), "hello from the tarball\n");
        try (Proc.Server server = Proc.start(tmp, List.of(home.resolve("bin/brigade").toString(), "serve",
                "--port", "0", "--bind", "127.0.0.1", "--root", site.toString(), "--access-log", "off"))) {
            // bin/brigade execs the JVM: the PID systemd or a shell sees is the server's own.
            assertThat(server.process().info().command()).hasValueSatisfying(c -> assertThat(c).endsWith("/bin/java"));
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/hello.txt")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello from the tarball\n");

            server.sigterm();
            int exit = server.awaitExit();
            // a clean drain exits 0 (systemd counts 143 as a failure)
            assertThat(exit).as(server.output().toString()).isZero();
        }
    }

    @Test
    void theExampleConfigChecks() throws Exception {
        Path site = Files.createDirectories(tmp.resolve("www"));
        Path conf = tmp.resolve("brigade.yaml");
        Files.writeString(conf, Files.readString(home.resolve("conf/brigade.yaml"))
                .replace("root: /srv/www", "root: " + site));
        Proc.Result r = Proc.run(tmp, List.of(home.resolve("bin/brigade").toString(), "check-config", conf.toString()));
        assertThat(r.exit()).as(r.output()).isZero();
    }

    @Test
    void theSystemdUnitPassesSystemdAnalyzeVerifyWithoutAWarning() throws Exception {
        assumeTrue(Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, "systemd-analyze"))),
                "systemd-analyze is not installed");
        // The unit as installed, but pointing at this unpacked launcher (verify checks that ExecStart exists).
        Path unit = Files.createDirectories(tmp.resolve("units")).resolve("brigade.service");
        Files.writeString(unit, Files.readString(home.resolve("systemd/brigade.service"))
                .replace("/opt/brigade/bin/brigade", home.resolve("bin/brigade").toString()));
        Proc.Result r = Proc.run(tmp, List.of("systemd-analyze", "verify", unit.toString()));
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).as("unknown keys and bad values are only warnings: none allowed").isBlank();
    }
}
