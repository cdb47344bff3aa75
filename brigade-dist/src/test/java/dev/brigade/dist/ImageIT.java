package dev.brigade.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image tar that `-Pimage` builds with Jib (target/jib-image.tar): its manifest and
 * config as a runtime reads them, and, when the tests run as root, the image itself started from its
 * unpacked layers with chroot as its non-root user, answering on loopback. Skipped without -Pimage.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ImageIT {

    static final String VERSION = System.getProperty("brigade.version");

    @TempDir
    static Path tmp;
    static Map<String, Object> config; // config.json's "config": User, Entrypoint, Cmd, ExposedPorts, ...
    static Path rootfs;                // the layers unpacked in order

    @BeforeAll
    static void unpack() throws Exception {
        Path tar = Path.of(System.getProperty("brigade.imageTar"));
        // Only with -Pimage: without it a tar left by an earlier build may no longer match the code.
        assumeTrue("required".equals(System.getProperty("brigade.image")), "the image is built with -Pimage");
        assertThat(tar).exists();
        Path image = Files.createDirectories(tmp.resolve("image"));
        Proc.Result x = Proc.run(image, List.of("tar", "-xf", tar.toString()));
        assertThat(x.exit()).as(x.output()).isZero();

        List<Object> manifests = Json.array(Json.parse(Files.readString(image.resolve("manifest.json"))));
        assertThat(manifests).hasSize(1);
        Map<String, Object> manifest = Json.object(manifests.getFirst());
        assertThat(Json.array(manifest.get("RepoTags"))).containsExactly("brigade:" + VERSION);
        Map<String, Object> imageConfig = Json.object(Json.parse(Files.readString(image.resolve((String) manifest.get("Config")))));
        assertThat(imageConfig).containsEntry("os", "linux")   // the runtime and libraries are this machine's
                .containsEntry("architecture", System.getProperty("os.arch").equals("aarch64") ? "arm64" : System.getProperty("os.arch"));
        config = Json.object(imageConfig.get("config"));

        rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        for (Object layer : Json.array(manifest.get("Layers"))) {
            Proc.Result l = Proc.run(rootfs, List.of("tar", "-xzf", image.resolve((String) layer).toString()));
            assertThat(l.exit()).as(l.output()).isZero();
        }
    }

    @Test
    void runsAsTheNonRootUserOfItsOwnPasswdFile() throws Exception {
        assertThat(config.get("User")).isEqualTo("65532:65532");
        assertThat(rootfs.resolve("etc/passwd")).content().contains("brigade:x:65532:65532:");
        assertThat(rootfs.resolve("etc/group")).content().contains("brigade:x:65532:");
    }

    @Test
    void entrypointIsTheJlinkRuntimeOnJibsClassPathAndCmdServesTheConfigFile() throws Exception {
        assertThat(Json.array(config.get("Entrypoint"))).containsExactly("/opt/java/bin/java",
                "-XX:+UseCompactObjectHeaders", "-XX:MaxRAMPercentage=75", "--enable-native-access=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "-cp", "@/app/jib-classpath-file",
                "dev.brigade.cli.Main");
        assertThat(Json.array(config.get("Cmd"))).containsExactly("serve", "--config", "/etc/brigade/brigade.yaml");
        assertThat(config.get("WorkingDir")).isEqualTo("/app");
        assertThat(Files.isExecutable(rootfs.resolve("opt/java/bin/java"))).isTrue();
        assertThat(rootfs.resolve("etc/brigade/brigade.yaml")).content().contains("port: 8080");
        // Everything on the class path Jib wrote is in the image.
        String classPath = Files.readString(rootfs.resolve("app/jib-classpath-file")).strip();
        assertThat(classPath).contains("/app/libs/brigade-cli-" + VERSION + ".jar", "/app/libs/brigade-server-" + VERSION + ".jar");
        for (String entry : classPath.split(":")) {
            if (entry.endsWith(".jar")) {
                assertThat(rootfs.resolve(entry.substring(1))).exists();
            }
        }
    }

    @Test
    void exposesPort8080() {
        assertThat(Json.object(config.get("ExposedPorts"))).containsOnlyKeys("8080/tcp");
    }

    @Test
    void theImageRunsAsItsUserAndAnswersOnLoopback() throws Exception {
        assumeTrue(Proc.run(tmp, List.of("id", "-u")).output().strip().equals("0"), "chroot needs root");
        assumeTrue(Stream.of("unshare", "chroot", "mount").allMatch(ImageIT::onPath), "needs unshare, chroot and mount");
        Files.createDirectories(rootfs.resolve("proc"));
        List<String> entrypoint = new ArrayList<>();
        Json.array(config.get("Entrypoint")).forEach(a -> entrypoint.add((String) a));

        // The image's config file must be usable, once the CLI can check one.
        if (inImage(entrypoint, List.of("--help")).output().contains("check-config")) {
            Proc.Result check = inImage(entrypoint, List.of("check-config", "/etc/brigade/brigade.yaml"));
            assertThat(check.exit()).as(check.output()).isZero();
        }

        // The image's own command (Cmd: serve --config /etc/brigade/brigade.yaml) once serve has --config,
        // with flags (which win over the file) for a free loopback port; before that, the same as flags.
        List<String> serve = new ArrayList<>(entrypoint);
        if (inImage(entrypoint, List.of("serve", "--help")).output().contains("--config")) {
            Json.array(config.get("Cmd")).forEach(a -> serve.add((String) a));
            serve.addAll(List.of("--port", "0", "--bind", "127.0.0.1", "--access-log", "off", "--drain-delay", "0"));
        } else {
            serve.addAll(List.of("serve", "--port", "0", "--bind", "127.0.0.1", "--root", "/srv/www", "--access-log", "off"));
        }
        try (Proc.Server server = Proc.start(tmp, chrooted(serve))) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("Brigade is running");
            // The JVM itself (unshare, sh and chroot exec'd into it) runs as 65532, not root.
            assertThat(Files.readAllLines(Path.of("/proc/" + server.process().pid() + "/status")))
                    .anySatisfy(l -> assertThat(l).matches("Uid:\\s+65532\\s+65532\\s+65532\\s+65532"));
            server.sigterm();
            assertThat(server.awaitExit()).as(server.output().toString()).isZero();
        }
    }

    /** The command run in the unpacked image: a private mount namespace with /proc (as any runtime gives), chroot, user 65532. */
    private static List<String> chrooted(List<String> command) {
        List<String> c = new ArrayList<>(List.of("unshare", "--mount", "sh", "-c",
                "mount -t proc proc \"$0/proc\" && exec chroot --userspec=65532:65532 \"$0\" \"$@\"", rootfs.toString()));
        c.addAll(command);
        return c;
    }

    private static Proc.Result inImage(List<String> entrypoint, List<String> args) throws Exception {
        List<String> c = new ArrayList<>(entrypoint);
        c.addAll(args);
        return Proc.run(tmp, chrooted(c));
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }
}
