package dev.brigade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brigade.server.Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * brigade.yaml: its keys are serve's options, it adds virtual hosts, flags given with --config
 * win, relative paths are the file's, and every mistake is reported as FILE:LINE: key: why.
 */
class ConfigFileTest {

    @TempDir
    Path dir;

    private Path file(String yaml) throws Exception {
        Path f = dir.resolve("brigade.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void keysAreServesOptionsAndHostsAreVirtualHostsThatAnswerByName() throws Exception {
        Files.createDirectories(dir.resolve("main"));
        Files.createDirectories(dir.resolve("blog"));
        Files.writeString(dir.resolve("main/who.txt"), "main\n");
        Files.writeString(dir.resolve("blog/who.txt"), "blog\n");
        Path f = file("""
                # the default site and one virtual host
                port: 0
                bind: 127.0.0.1
                root: main            # relative to this file
                gzip: 0
                access-log: "off"
                bridge: pool:2:8
                cache-control:
                  "*.txt": no-cache
                hosts:
                  - names: [blog.test, www.blog.test]
                    root: blog
                    bridge: "virtual"
                    cache-control: {"**": "max-age=60"}
                """);
        ServeCommand s = ConfigFile.load(f, List.of());
        assertThat(s.root).isEqualTo(dir.resolve("main"));
        assertThat(s.bridge).isEqualTo("pool:2:8");
        assertThat(s.cacheControl).containsExactly("*.txt=no-cache");
        assertThat(s.hosts).hasSize(1);
        assertThat(s.hosts.getFirst().names()).containsExactly("blog.test", "www.blog.test");
        Server server = ServeCommandTest.start(s, null);
        try {
            assertThat(rawGet(server.port(), "localhost", "/who.txt")).contains("\r\n\r\nmain\n")
                    .contains("Cache-Control: no-cache");
            assertThat(rawGet(server.port(), "www.blog.test", "/who.txt")).contains("\r\n\r\nblog\n")
                    .contains("Cache-Control: max-age=60");
        } finally {
            server.stop(java.time.Duration.ofSeconds(2));
        }
    }

    @Test
    void optionsGivenOnTheCommandLineWinOverTheFile() throws Exception {
        Path f = file("port: 9000\ngzip: 3\nlisting: true\n");
        ServeCommand s = ConfigFile.load(f, List.of("--port", "0", "--gzip", "7"));
        assertThat(s.port).isZero();
        assertThat(s.gzipLevel).isEqualTo(7);
        assertThat(s.listing).isTrue();
    }

    @Test
    void everyMistakeNamesTheFileTheLineAndTheKey() throws Exception {
        Files.createDirectories(dir.resolve("site"));
        String[][] cases = {
            {"port: 8080\nprot: 80\n", ":2: prot: unknown key"},
            {"gzip: 3\nport: 99999\n", ":2: port: '99999' is not a port"},
            {"bridge: pool:abc\n", ":1: bridge: 'pool:abc' is not a bridge"},
            {"listing: yes please\n", ":1: listing: expects true or false"},
            {"port: 1\nport: 2\n", ":2: port: given twice (first on line 1)"},
            {"config: other.yaml\n", ":1: config: unknown key"},
            {"hosts:\n  - names: [a.test]\n    root: nowhere\n", ":3: hosts[0].root: " },
            {"hosts:\n  - names: [a.test]\n    root: site\n    colour: blue\n", ":4: hosts[0].colour: unknown key"},
            {"hosts:\n  - root: site\n", ":2: hosts[0]: needs names"},
            {"hosts:\n  - {names: [a.test], root: site}\n  - {names: [A.test], root: site}\n", ":3: hosts[1].names: 'a.test' names another host too"},
            {"hosts:\n  - {names: [\"not a name\"], root: site}\n", ":2: hosts[0].names: 'not a name' is not a host name"},
            {"port: [1, 2]\n", ":1: port: expects a single value"},
            {"port: 8080\n  bad: indent\n", ":2: not valid YAML"},
            {"- a list\n", ":1: the file must be a mapping"},
        };
        for (String[] c : cases) {
            Path f = file(c[0]);
            assertThatThrownBy(() -> ConfigFile.load(f, List.of()).check()).as(c[0])
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(f + c[1]);
        }
        assertThatThrownBy(() -> ConfigFile.load(dir.resolve("missing.yaml"), List.of()))
                .hasMessage(dir.resolve("missing.yaml") + ": no such file");
    }

    /** One GET with the Host header given (the JDK client will not set it), read until the server closes. */
    static String rawGet(int port, String host, String path) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void theReadmesExampleChecks() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("user.dir")).resolveSibling("README.md"));
        int start = readme.indexOf("```yaml\n");
        String yaml = readme.substring(start + 8, readme.indexOf("```", start + 8));
        for (String d : List.of("www", "blog")) {
            Files.createDirectories(dir.resolve(d));
        }
        Path f = file(yaml.replace("/srv/", dir + "/").replace("/var/log/brigade/", dir + "/"));
        ServeCommand s = ConfigFile.load(f, List.of());
        s.check();
        assertThat(s.health).isTrue();
        assertThat(s.drainDelaySeconds).isEqualTo(5);
        assertThat(s.ops.statusAllow).containsExactly("10.0.0.0/8");
        assertThat(s.hosts.getFirst().names()).containsExactly("blog.example.com", "www.blog.example.com");
        assertThat(s.accessLogFormat).isEqualTo(AccessLog.Format.json);
        new SiteAssembly(s, null, new Health(), () -> null, null).builder(null).build();
    }

    @Test
    void anEmptyFileMeansEveryDefault() throws Exception {
        ServeCommand s = ConfigFile.load(file(""), List.of());
        assertThat(s.port).isEqualTo(8080);
        assertThat(s.bridge).isEqualTo("inline");
        assertThat(s.hosts).isEmpty();
    }
}
