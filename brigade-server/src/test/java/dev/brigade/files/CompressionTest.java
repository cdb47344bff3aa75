package dev.brigade.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each encoding path, byte-exact through the JDK client and {@code curl --compressed}:
 * precompressed siblings ({@code .gz}, {@code .zst}, {@code .br}) chosen by Accept-Encoding, the
 * gzip made once into the memory store, and identity; with Vary and a distinct ETag per encoding.
 */
class CompressionTest {

    @TempDir
    static Path tmp;
    static Path root;
    static StaticFiles files;
    static TestServer server;
    static HttpClient client;
    static String appJs;
    static String plainText;
    static boolean haveZstd;

    @BeforeAll
    static void start() throws Exception {
        root = Files.createDirectories(tmp.resolve("www"));
        StringBuilder js = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            js.append("function f").append(i).append("() { return ").append(i * 31 % 97).append("; }\n");
        }
        appJs = js.toString();
        Files.writeString(root.resolve("app.js"), appJs);
        Files.write(root.resolve("app.js.gz"), gzip(appJs.getBytes(StandardCharsets.UTF_8)));
        Files.write(root.resolve("app.js.br"), "opaque brotli bytes".getBytes(StandardCharsets.ISO_8859_1));
        haveZstd = Files.isExecutable(Path.of("/usr/bin/zstd"));
        if (haveZstd) {
            Process p = new ProcessBuilder("zstd", "-q", "-19", root.resolve("app.js").toString(), "-o",
                    root.resolve("app.js.zst").toString()).inheritIO().start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).isTrue();
        }
        plainText = "All work and no play makes Jack a dull boy.\n".repeat(500);
        Files.writeString(root.resolve("story.txt"), plainText);
        Files.writeString(root.resolve("tiny.txt"), "tiny");
        Files.write(root.resolve("photo.png"), new byte[5000]);
        files = StaticFiles.builder(root).build();
        server = TestServer.start(b -> b.fallback(files));
        client = dev.brigade.testing.TestTransport.httpClient().build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
        files.close();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static byte[] gunzip(byte[] data) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        }
    }

    HttpResponse<byte[]> get(String path, String acceptEncoding) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base() + path));
        if (acceptEncoding != null) {
            b.header("Accept-Encoding", acceptEncoding);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void precompressedGzipSibling() throws Exception {
        HttpResponse<byte[]> r = get("/app.js", "gzip");
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(r.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(r.body()).isEqualTo(Files.readAllBytes(root.resolve("app.js.gz")));
        assertThat(new String(gunzip(r.body()), StandardCharsets.UTF_8)).isEqualTo(appJs);
    }

    @Test
    void brotliPreferredThenZstdThenGzip() throws Exception {
        HttpResponse<byte[]> br = get("/app.js", "gzip, deflate, br, zstd");
        assertThat(br.headers().firstValue("Content-Encoding")).hasValue("br");
        assertThat(br.body()).isEqualTo(Files.readAllBytes(root.resolve("app.js.br")));
        if (haveZstd) {
            HttpResponse<byte[]> zst = get("/app.js", "gzip, zstd, br;q=0");
            assertThat(zst.headers().firstValue("Content-Encoding")).hasValue("zstd");
            assertThat(zst.body()).isEqualTo(Files.readAllBytes(root.resolve("app.js.zst")));
        }
    }

    @Test
    void identityWithoutAcceptEncodingOrWhenRefused() throws Exception {
        for (String ae : new String[] {null, "identity", "gzip;q=0, br;q=0, zstd;q=0", "*;q=0"}) {
            HttpResponse<byte[]> r = get("/app.js", ae);
            assertThat(r.headers().firstValue("Content-Encoding")).as(ae).isEmpty();
            assertThat(r.headers().firstValue("Vary")).hasValue("Accept-Encoding");
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(appJs);
        }
    }

    @Test
    void smallCompressibleFileIsGzippedOnceIntoTheStore() throws Exception {
        HttpResponse<byte[]> r = get("/story.txt", "gzip");
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(Long.parseLong(r.headers().firstValue("Content-Length").orElseThrow())).isLessThan(plainText.length() / 10);
        assertThat(new String(gunzip(r.body()), StandardCharsets.UTF_8)).isEqualTo(plainText);
        HttpResponse<byte[]> again = get("/story.txt", "gzip");
        assertThat(again.body()).isEqualTo(r.body());
        String gzTag = r.headers().firstValue("ETag").orElseThrow();
        String idTag = get("/story.txt", null).headers().firstValue("ETag").orElseThrow();
        assertThat(gzTag).isNotEqualTo(idTag).endsWith("-gzip\"");
        try (RawClient c = server.connect()) {
            c.send("GET /story.txt HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip\r\nIf-None-Match: " + gzTag + "\r\n\r\n");
            HttpMessage m = c.readResponse();
            assertThat(m.status()).isEqualTo(304);
            assertThat(m.header("Vary")).isEqualTo("Accept-Encoding");
            c.send("GET /story.txt HTTP/1.1\r\nHost: t\r\nIf-None-Match: " + gzTag + "\r\n\r\n");
            assertThat(c.readResponse().status()).as("the gzip tag does not validate identity").isEqualTo(200);
        }
    }

    @Test
    void notCompressedWhenNotWorthIt() throws Exception {
        assertThat(get("/tiny.txt", "gzip").headers().firstValue("Content-Encoding")).isEmpty();
        HttpResponse<byte[]> png = get("/photo.png", "gzip");
        assertThat(png.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(png.headers().firstValue("Vary")).isEmpty();
    }

    @Test
    void rangeOfTheGzipVariantIsOfTheEncodedBytes() throws Exception {
        HttpResponse<byte[]> full = get("/story.txt", "gzip");
        HttpResponse<byte[]> part = client.send(HttpRequest.newBuilder(URI.create(server.base()
                + "/story.txt")).header("Accept-Encoding", "gzip").header("Range", "bytes=10-19").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(full.body(), 10, 20));
    }

    @Test
    void aFileGzippedOnTheFlyRevalidatesWithItsCodedEtagAndOffersNoRanges() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("large"));
        Files.writeString(dir.resolve("big.txt"), plainText.repeat(10)); // 220 KB: above the cache's file limit
        try (StaticFiles large = StaticFiles.builder(dir).cache(new MemoryCache(1 << 20, 1024, 100)).build();
             TestServer ts = TestServer.start(b -> b.compression(6, 1024).fallback(large));
             HttpClient c = dev.brigade.testing.TestTransport.httpClient().build()) {
            HttpResponse<byte[]> first = c.send(HttpRequest.newBuilder(ts.uri("/big.txt")).header("Accept-Encoding", "gzip").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(first.headers().firstValue("Content-Encoding")).hasValue("gzip");
            String coded = first.headers().firstValue("ETag").orElseThrow();
            assertThat(coded).endsWith("-gzip\"");
            assertThat(first.headers().firstValue("Accept-Ranges")).as("ranges of the coded body are not served").isEmpty();
            String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();

            // a browser revalidating what it holds: 304, with the tag it holds
            HttpResponse<byte[]> again = c.send(HttpRequest.newBuilder(ts.uri("/big.txt")).header("Accept-Encoding", "gzip")
                    .header("If-None-Match", coded).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(again.statusCode()).isEqualTo(304);
            assertThat(again.headers().firstValue("ETag")).hasValue(coded);
            HttpResponse<byte[]> byDate = c.send(HttpRequest.newBuilder(ts.uri("/big.txt")).header("Accept-Encoding", "gzip")
                    .header("If-Modified-Since", lastModified).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(byDate.statusCode()).isEqualTo(304);
            assertThat(byDate.headers().firstValue("ETag")).as("the tag the 200 would carry").hasValue(coded);

            // a client without gzip gets and revalidates the identity tag
            HttpResponse<byte[]> plain = c.send(HttpRequest.newBuilder(ts.uri("/big.txt")).header("If-Modified-Since", lastModified)
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(plain.statusCode()).isEqualTo(304);
            assertThat(plain.headers().firstValue("ETag").orElseThrow()).doesNotEndWith("-gzip\"");
            assertThat(plain.headers().firstValue("Content-Length")).as("a 304 has no length on the wire").isEmpty();
        }
    }

    @Test
    void curlCompressedGetsTheContentThroughEachPath() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed");
        String base = server.base();
        // sibling .br is not real brotli here: ask curl for gzip and zstd only
        assertThat(curl("--compressed", "-H", "Accept-Encoding: gzip", base + "/app.js")).isEqualTo(appJs);
        assertThat(curl("--compressed", "-H", "Accept-Encoding: gzip", base + "/story.txt")).isEqualTo(plainText);
        if (haveZstd) {
            assertThat(curl("--compressed", "-H", "Accept-Encoding: zstd", base + "/app.js")).isEqualTo(appJs);
        }
        assertThat(curl(base + "/app.js")).isEqualTo(appJs);
        String verbose = curlErr("--compressed", "-H", "Accept-Encoding: gzip", "-v", "-o", "/dev/null", base + "/story.txt");
        assertThat(verbose).containsIgnoringCase("content-encoding: gzip");
    }

    static String curl(String... args) throws Exception {
        return run(false, args);
    }

    static String curlErr(String... args) throws Exception {
        return run(true, args);
    }

    private static String run(boolean err, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--max-time", "10"));
        cmd.addAll(List.of(dev.brigade.testing.TestTransport.curlOptions()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] e = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(e, StandardCharsets.UTF_8)).isZero();
        return new String(err ? e : out, StandardCharsets.UTF_8);
    }
}
