package dev.brigade.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.brigade.api.Transaction;
import dev.brigade.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real third-party client, curl, against the server: connection reuse, uploads, HTTP/1.0. */
class CurlInteropTest {

    private static TestServer server;
    private static final String TEXT = "Brigade compresses this on the fly. ".repeat(3000);

    private record Result(int exit, String out, String err) {
    }

    @BeforeAll
    static void startServer() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")) || onPath("curl"), "curl is not installed");
        server = TestServer.start(b -> b.compression(6, 1024)
                .get("/hello/{name}", (req, res) -> res.send("hello " + req.pathParam("name") + "\n"))
                .get("/text", (req, res) -> res.contentType("text/plain; charset=utf-8").send(TEXT))
                .get("/streamed", (req, res) -> {
                    res.contentType("text/plain; charset=utf-8");
                    try (var out = res.output()) {
                        out.write(TEXT.getBytes(StandardCharsets.UTF_8));
                    }
                })
                .post("/echo", (req, res) -> req.body().thenAccept(body -> res.send(body))));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void forgetTransactions() {
        server.drainTransactions();
    }

    private static boolean onPath(String exe) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, exe))) {
                return true;
            }
        }
        return false;
    }

    private static Result curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--max-time", "10"));
        cmd.addAll(List.of(dev.brigade.testing.TestTransport.curlOptions()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void curlReusesOneConnectionForSeveralUrls() throws Exception {
        String base = server.base();
        Result r = curl("--http1.1", "--verbose", base + "/hello/a", base + "/hello/b", base + "/hello/c");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("hello a\nhello b\nhello c\n");
        assertThat(r.err()).contains("Re-using existing connection");
        List<Transaction> txs = server.nextTransactions(3, Duration.ofSeconds(5));
        assertThat(txs).extracting(Transaction::connectionId).containsOnly(txs.getFirst().connectionId());
    }

    @Test
    void curlUploadWithExpectContinueIsEchoed(@TempDir Path dir) throws Exception {
        byte[] data = new byte[300_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + i % 26);
        }
        Path file = Files.write(dir.resolve("upload.bin"), data);
        Result r = curl("--http1.1", "--verbose", "-H", "Expect: 100-continue", "--data-binary", "@" + file,
                server.base() + "/echo");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("HTTP/1.1 100 Continue");
        assertThat(r.out().getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(data);
    }

    @Test
    void curlChunkedUploadIsEchoed() throws Exception {
        Result r = curl("--http1.1", "-H", "Transfer-Encoding: chunked", "--data-binary", "chunked upload body",
                server.base() + "/echo");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("chunked upload body");
    }

    @Test
    void curlCompressedGetsOnTheFlyGzipByteExactForWholeAndStreamedBodies() throws Exception {
        for (String path : List.of("/text", "/streamed")) {
            Result r = curl("--http1.1", "--compressed", "--dump-header", "-", server.base() + path);
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("Content-Encoding: gzip").contains("Vary: Accept-Encoding");
            assertThat(r.out().substring(r.out().indexOf("\r\n\r\n") + 4)).as(path).isEqualTo(TEXT);
        }
    }

    @Test
    void curlHttp10GetsAClosedConnection() throws Exception {
        Result r = curl("--http1.0", "--include", server.base() + "/hello/old");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nConnection: close\r\n")
                .endsWith("\r\n\r\nhello old\n");
    }
}
