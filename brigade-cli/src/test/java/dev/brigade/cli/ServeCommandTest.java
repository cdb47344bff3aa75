package dev.brigade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.server.Server;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void helpDocumentsEveryOption() {
        CommandLine cmd = new CommandLine(new Main());
        String help = usage(cmd.getSubcommands().get("serve"));
        for (String option : List.of("--port", "--bind", "--loops", "--root", "--access-log", "--shutdown-timeout",
                "--no-demo", "--demo", "--health", "--config", "--drain-delay", "--access-log-format", "--log-level", "--header-timeout", "--keepalive-timeout", "--max-body-size", "--bridge", "--transport", "--listing", "--cache-size", "--cache-control", "--gzip", "--no-precompressed", "--mime", "--index", "--show-hidden", "--tls-cert", "--tls-key", "--tls-password-file",
                "--self-signed", "--https-port", "--redirect-https", "--hsts", "--help", "--version")) {
            assertThat(help).as("serve --help mentions " + option).contains(option);
        }
        var out = new ByteArrayOutputStream();
        int exit = cmd.setOut(new PrintWriter(out, true)).execute("--version");
        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("brigade ");
    }

    @Test
    void servesTheRootDirectoryAndLogsEachRequestInCombinedFormat(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("hello.txt"), "hi there\n");
        Path logFile = dir.resolve("access.log");
        ServeCommand serve = parse("serve", "--port", "0", "--bind", "127.0.0.1", "--root", dir.toString(),
                "--access-log", logFile.toString(), "--demo");
        AccessLog log = AccessLog.open(serve.accessLog);
        Server server = start(serve, log);
        try {
            HttpResponse<String> r = get(server, "/hello.txt", "ua-test/1");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hi there\n");
            assertThat(r.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
            assertThat(get(server, "/hello", null).body()).isEqualTo("Hello, World!\n");
            assertThat(get(server, "/missing", null).statusCode()).isEqualTo(404);
        } finally {
            server.stop(Duration.ofSeconds(2));
            log.close();
        }
        List<String> lines = Files.readAllLines(logFile);
        assertThat(lines).hasSize(3);
        assertThat(lines.getFirst()).matches(
                "127\\.0\\.0\\.1 - - \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d [+-]\\d{4}] \"GET /hello.txt HTTP/1.1\" 200 \\d+ \"-\" \"ua-test/1\" \\+");
        assertThat(lines.get(2)).contains("\"GET /missing HTTP/1.1\" 404 ");
    }

    @Test
    void compressibleResponsesAreGzippedForClientsThatAcceptIt(@TempDir Path dir) throws Exception {
        String text = "brigade ".repeat(4000);
        Files.writeString(dir.resolve("big.txt"), text);
        ServeCommand serve = parse("serve", "--port", "0", "--bind", "127.0.0.1", "--root", dir.toString(),
                "--access-log", "off", "--cache-size", "0", "--demo");
        Server server = start(serve, null);
        try {
            for (String path : List.of("/big.txt", "/stream")) {
                HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + server.port() + path))
                        .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(r.headers().firstValue("Content-Encoding")).as(path).contains("gzip");
                assertThat(r.headers().firstValue("Vary")).as(path).contains("Accept-Encoding");
                byte[] plain = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(r.body())).readAllBytes();
                String expected = path.equals("/big.txt") ? text : "line 1\nline 2\nline 3\nline 4\nline 5\n";
                assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo(expected);
            }
            HttpResponse<String> identity = get(server, "/big.txt", null);
            assertThat(identity.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(identity.body()).isEqualTo(text);
        } finally {
            server.stop(Duration.ofSeconds(2));
        }
    }

    @Test
    void theSampleSiteIsBundled() throws Exception {
        Path site = SampleSite.extract();
        assertThat(Files.readString(site.resolve("index.html"))).contains("Brigade is running");
    }

    @Test
    void blockShowsThePoolSheddingLoadAndEchoNeverReflectsTheRequestType(@TempDir Path dir) throws Exception {
        ServeCommand serve = parse("serve", "--port", "0", "--bind", "127.0.0.1", "--root", dir.toString(),
                "--access-log", "off", "--bridge", "pool:1:0", "--demo");
        Server server = start(serve, null);
        try {
            var first = client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/block?ms=3000")).build(), HttpResponse.BodyHandlers.ofString());
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (server.bridgeStats().busy() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(5); // until the one worker holds the first request
            }
            assertThat(server.bridgeStats().busy()).isEqualTo(1);
            HttpResponse<String> shed = get(server, "/block?ms=10", null);
            assertThat(shed.statusCode()).as("the only worker is blocked, no backlog: shed").isEqualTo(503);
            assertThat(shed.headers().firstValue("Retry-After")).isPresent();
            assertThat(server.bridgeStats().rejected()).isEqualTo(1);
            assertThat(Serving.summary(server)).as("what SIGTERM prints at the end")
                    .startsWith("2 requests received, 1 shed with 503, 0 late completions dropped");
            assertThat(first.get(10, java.util.concurrent.TimeUnit.SECONDS).body()).isEqualTo("blocked a worker for 3000 ms\n");

            HttpResponse<String> echo = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/echo"))
                    .header("Content-Type", "text/html").POST(HttpRequest.BodyPublishers.ofString("<script>alert(1)</script>"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(echo.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
            assertThat(echo.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        } finally {
            server.stop(Duration.ofSeconds(2));
        }
    }

    @Test
    void anAbortIsLoggedAsSuch() {
        var remote = new java.net.InetSocketAddress("127.0.0.1", 5555);
        String noAnswer = AccessLog.format(new dev.brigade.api.Transaction(1, remote, 0, "GET", "/never", "HTTP/1.1", 0, 0,
                null, null, 1000, false));
        assertThat(noAnswer).contains("\"GET /never HTTP/1.1\" 499 - ").endsWith(" X");
        String cut = AccessLog.format(new dev.brigade.api.Transaction(2, remote, 0, "GET", "/big", "HTTP/1.1", 200, 65536,
                null, null, 1000, false));
        assertThat(cut).contains("\" 200 65536 ").endsWith(" X");
        String whole = AccessLog.format(new dev.brigade.api.Transaction(3, remote, 0, "GET", "/", "HTTP/1.1", 200, 100,
                null, null, 1000, true));
        assertThat(whole).endsWith(" +");
    }

    @Test
    void logFieldsAreEscapedAsHttpdDoes() {
        assertThat(AccessLog.escape("a\"b\\c\u0001")).isEqualTo("a\\\"b\\\\c\\x01");
        assertThat(AccessLog.escape("plain")).isEqualTo("plain");
    }

    private HttpResponse<String> get(Server server, String path, String userAgent) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (userAgent != null) {
            b.header("User-Agent", userAgent);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What `brigade serve` starts for these settings, without its signal handling. */
    static Server start(ServeCommand serve, AccessLog log) throws Exception {
        var running = new java.util.concurrent.atomic.AtomicReference<Server>();
        running.set(new SiteAssembly(serve, null, new Health(), running::get, null).builder(log == null ? null : log::log).build());
        return running.get().start();
    }

    private static ServeCommand parse(String... args) {
        CommandLine cmd = new CommandLine(new Main());
        CommandLine.ParseResult result = cmd.parseArgs(args);
        return (ServeCommand) result.subcommand().commandSpec().userObject();
    }

    private static String usage(CommandLine cmd) {
        var out = new ByteArrayOutputStream();
        cmd.usage(new PrintWriter(out, true));
        return out.toString(StandardCharsets.UTF_8);
    }
}
