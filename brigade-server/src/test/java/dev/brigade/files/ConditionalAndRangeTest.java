package dev.brigade.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 9110 §13 preconditions in their order of precedence, and ranges of every form: single
 * (206), several (multipart/byteranges parsed back and compared byte-exact), unsatisfiable (416),
 * If-Range — over a cached small file and a large file sent with sendfile alike.
 */
class ConditionalAndRangeTest {

    @TempDir
    static Path tmp;
    static SiteFixture site;
    static StaticFiles files;
    static TestServer server;
    static String etag;
    static String lastModified;
    static final String PAST = "Mon, 01 Jan 2001 00:00:00 GMT";
    static final String FUTURE = "Fri, 01 Jan 2100 00:00:00 GMT";

    @BeforeAll
    static void start() throws Exception {
        site = new SiteFixture(tmp);
        files = StaticFiles.builder(site.root).build();
        server = TestServer.start(b -> b.fallback(files));
        HttpMessage m = request("GET", "/hello.txt");
        etag = m.header("ETag");
        lastModified = m.header("Last-Modified");
    }

    @AfterAll
    static void stop() {
        server.close();
        files.close();
    }

    static HttpMessage request(String method, String path, String... headers) {
        try (RawClient c = server.connect()) {
            StringBuilder sb = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n");
            for (String h : headers) {
                sb.append(h).append("\r\n");
            }
            c.send(sb.append("\r\n").toString());
            return c.readResponse(method.equals("HEAD"));
        }
    }

    static int status(String... headers) {
        return request("GET", "/hello.txt", headers).status();
    }

    @Test
    void ifMatch() {
        assertThat(status("If-Match: " + etag)).isEqualTo(200);
        assertThat(status("If-Match: \"nope\", " + etag)).isEqualTo(200);
        assertThat(status("If-Match: *")).isEqualTo(200);
        assertThat(status("If-Match: \"nope\"")).isEqualTo(412);
        assertThat(status("If-Match: W/" + etag)).as("If-Match compares strongly").isEqualTo(412);
    }

    @Test
    void ifUnmodifiedSince() {
        assertThat(status("If-Unmodified-Since: " + FUTURE)).isEqualTo(200);
        assertThat(status("If-Unmodified-Since: " + lastModified)).isEqualTo(200);
        assertThat(status("If-Unmodified-Since: " + PAST)).isEqualTo(412);
        assertThat(status("If-Unmodified-Since: Thu, 01 Jan 1970 00:00:00 GMT")).as("the epoch is a date too").isEqualTo(412);
        assertThat(status("If-Unmodified-Since: not a date")).isEqualTo(200);
    }

    @Test
    void ifNoneMatch() {
        HttpMessage m = request("GET", "/hello.txt", "If-None-Match: " + etag);
        assertThat(m.status()).isEqualTo(304);
        assertThat(m.header("ETag")).isEqualTo(etag);
        assertThat(m.body()).isEmpty();
        assertThat(status("If-None-Match: W/" + etag)).as("weak comparison").isEqualTo(304);
        assertThat(status("If-None-Match: \"a\", " + etag)).isEqualTo(304);
        assertThat(status("If-None-Match: *")).isEqualTo(304);
        assertThat(status("If-None-Match: \"other\"")).isEqualTo(200);
        assertThat(request("HEAD", "/hello.txt", "If-None-Match: " + etag).status()).isEqualTo(304);
    }

    @Test
    void ifModifiedSince() {
        assertThat(status("If-Modified-Since: " + lastModified)).isEqualTo(304);
        assertThat(status("If-Modified-Since: " + FUTURE)).isEqualTo(304);
        assertThat(status("If-Modified-Since: " + PAST)).isEqualTo(200);
        assertThat(status("If-Modified-Since: garbage")).isEqualTo(200);
        // the obsolete date forms a recipient must still read
        assertThat(status("If-Modified-Since: Friday, 01-Jan-99 00:00:00 GMT")).isEqualTo(200);
        assertThat(status("If-Modified-Since: Fri Jan  1 00:00:00 2100")).isEqualTo(304);
    }

    @Test
    void precedence() {
        // If-Match wins over If-Unmodified-Since (which is then not evaluated)
        assertThat(status("If-Match: " + etag, "If-Unmodified-Since: " + PAST)).isEqualTo(200);
        assertThat(status("If-Match: \"x\"", "If-Unmodified-Since: " + FUTURE)).isEqualTo(412);
        // a failed If-Match answers 412 even when If-None-Match would answer 304
        assertThat(status("If-Match: \"x\"", "If-None-Match: " + etag)).isEqualTo(412);
        assertThat(status("If-Unmodified-Since: " + PAST, "If-None-Match: " + etag)).isEqualTo(412);
        // If-None-Match wins over If-Modified-Since, both ways
        assertThat(status("If-None-Match: \"other\"", "If-Modified-Since: " + FUTURE)).isEqualTo(200);
        assertThat(status("If-None-Match: " + etag, "If-Modified-Since: " + PAST)).isEqualTo(304);
        // preconditions come before ranges
        assertThat(status("If-None-Match: " + etag, "Range: bytes=0-1")).isEqualTo(304);
        assertThat(status("If-Match: \"x\"", "Range: bytes=0-1")).isEqualTo(412);
    }

    @Test
    void singleRanges() {
        byte[] content = "hello, world\n".getBytes(StandardCharsets.UTF_8);
        checkSingle("/hello.txt", "bytes=0-4", 0, 5, content);
        checkSingle("/hello.txt", "bytes=7-", 7, content.length - 7, content);
        checkSingle("/hello.txt", "bytes=-6", content.length - 6, 6, content);
        checkSingle("/hello.txt", "bytes=5-1000", 5, content.length - 5, content);
        checkSingle("/hello.txt", "bytes=-1000", 0, content.length, content);
        checkSingle("/hello.txt", "bytes=3-3", 3, 1, content);
        checkSingle("/big.bin", "bytes=1000000-2999999", 1_000_000, 2_000_000, site.big);
        checkSingle("/big.bin", "bytes=-17", site.big.length - 17, 17, site.big);
        checkSingle("/big.bin", "bytes=65530-65545", 65530, 16, site.big);
    }

    private void checkSingle(String path, String range, long first, long length, byte[] content) {
        HttpMessage m = request("GET", path, "Range: " + range);
        assertThat(m.status()).as(range).isEqualTo(206);
        assertThat(m.header("Content-Range")).isEqualTo("bytes " + first + "-" + (first + length - 1) + "/" + content.length);
        assertThat(m.header("Content-Length")).isEqualTo(String.valueOf(length));
        assertThat(m.body()).isEqualTo(Arrays.copyOfRange(content, (int) first, (int) (first + length)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/hello.txt", "/big.bin"})
    void multipleRangesParsedBackByteExact(String path) throws Exception {
        byte[] content = site.read(path.substring(1));
        long[][] ranges = {{0, 2}, {5, 9}, {content.length - 3, content.length - 1}};
        HttpMessage m = request("GET", path, "Range: bytes=0-2, 5-9,-3");
        assertThat(m.status()).isEqualTo(206);
        String type = m.header("Content-Type");
        assertThat(type).startsWith("multipart/byteranges; boundary=");
        assertThat(m.header("Content-Range")).isNull();
        assertThat(Long.parseLong(m.header("Content-Length"))).isEqualTo(m.body().length);
        List<Part> parts = parseMultipart(m.body(), type.substring(type.indexOf("boundary=") + 9));
        assertThat(parts).hasSize(3);
        for (int i = 0; i < 3; i++) {
            long a = ranges[i][0];
            long b = ranges[i][1];
            assertThat(parts.get(i).contentRange()).isEqualTo("bytes " + a + "-" + b + "/" + content.length);
            assertThat(parts.get(i).contentType()).isEqualTo(path.endsWith(".txt") ? "text/plain; charset=utf-8"
                    : "application/octet-stream");
            assertThat(parts.get(i).data()).isEqualTo(Arrays.copyOfRange(content, (int) a, (int) b + 1));
        }
    }

    record Part(String contentType, String contentRange, byte[] data) {
    }

    /** A strict reader of multipart/byteranges (RFC 9110 §14.6): each part's data is as long as its Content-Range says. */
    static List<Part> parseMultipart(byte[] body, String boundary) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        List<Part> parts = new ArrayList<>();
        String delimiter = "--" + boundary;
        int pos = text.indexOf(delimiter);
        assertThat(pos).isGreaterThanOrEqualTo(0);
        while (true) {
            pos += delimiter.length();
            if (text.startsWith("--", pos)) {
                assertThat(text.substring(pos + 2)).isEqualTo("\r\n");
                return parts;
            }
            assertThat(text.startsWith("\r\n", pos)).isTrue();
            int headEnd = text.indexOf("\r\n\r\n", pos);
            String type = null;
            String range = null;
            for (String line : text.substring(pos + 2, headEnd).split("\r\n")) {
                String[] kv = line.split(":", 2);
                if (kv[0].equalsIgnoreCase("Content-Type")) {
                    type = kv[1].trim();
                } else if (kv[0].equalsIgnoreCase("Content-Range")) {
                    range = kv[1].trim();
                }
            }
            String[] se = range.substring(6, range.indexOf('/')).split("-");
            int len = (int) (Long.parseLong(se[1]) - Long.parseLong(se[0]) + 1);
            int dataStart = headEnd + 4;
            parts.add(new Part(type, range, Arrays.copyOfRange(body, dataStart, dataStart + len)));
            pos = dataStart + len;
            assertThat(text.startsWith("\r\n" + delimiter, pos)).as("delimiter after part data").isTrue();
            pos += 2;
        }
    }

    @Test
    void unsatisfiable() {
        for (String range : new String[] {"bytes=13-", "bytes=100-200", "bytes=-0", "bytes=13-20, 50-"}) {
            HttpMessage m = request("GET", "/hello.txt", "Range: " + range);
            assertThat(m.status()).as(range).isEqualTo(416);
            assertThat(m.header("Content-Range")).isEqualTo("bytes */13");
        }
        assertThat(request("GET", "/empty.txt", "Range: bytes=0-").status()).isEqualTo(416);
    }

    @Test
    void invalidOrForeignRangesAreIgnored() {
        for (String range : new String[] {"bytes=5-2", "bytes=a-b", "items=0-1", "bytes=", "bytes=1-2-3", "0-1",
                "bytes=0-5,0-5,0-5"}) {
            HttpMessage m = request("GET", "/hello.txt", "Range: " + range);
            assertThat(m.status()).as(range).isEqualTo(200);
            assertThat(m.bodyText()).isEqualTo("hello, world\n");
        }
    }

    @Test
    void ifRange() {
        assertThat(request("GET", "/hello.txt", "Range: bytes=0-4", "If-Range: " + etag).status()).isEqualTo(206);
        assertThat(request("GET", "/hello.txt", "Range: bytes=0-4", "If-Range: " + lastModified).status()).isEqualTo(206);
        HttpMessage stale = request("GET", "/hello.txt", "Range: bytes=0-4", "If-Range: \"old\"");
        assertThat(stale.status()).isEqualTo(200);
        assertThat(stale.bodyText()).isEqualTo("hello, world\n");
        assertThat(request("GET", "/hello.txt", "Range: bytes=0-4", "If-Range: W/" + etag).status()).isEqualTo(200);
        assertThat(request("GET", "/hello.txt", "Range: bytes=0-4", "If-Range: " + PAST).status()).isEqualTo(200);
    }

    @Test
    void headWithRange() {
        HttpMessage m = request("HEAD", "/big.bin", "Range: bytes=0-9");
        assertThat(m.status()).as("ranges apply to GET only").isEqualTo(200);
        assertThat(m.header("Content-Length")).isEqualTo(String.valueOf(site.big.length));
    }

    @Test
    void jdkClientRangeOnLargeFile() throws Exception {
        try (HttpClient c = dev.brigade.testing.TestTransport.httpClient().build()) {
            HttpResponse<byte[]> r = c.send(HttpRequest.newBuilder(URI.create(server.base() + "/big.bin"))
                    .header("Range", "bytes=100-").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(206);
            assertThat(r.body()).isEqualTo(Arrays.copyOfRange(site.big, 100, site.big.length));
        }
    }
}
