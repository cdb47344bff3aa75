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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mapping requests to files through a real server: names of every kind, index files and the
 * trailing-slash redirect, dot-files, content types, methods — and every way out of the root,
 * none of which may yield a byte of the secret placed beside it.
 */
class StaticFilesTest {

    @TempDir
    static Path tmp;
    static SiteFixture site;
    static TestServer server;
    static StaticFiles files;
    static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        site = new SiteFixture(tmp);
        files = StaticFiles.builder(site.root).cacheControl("*.css", "public, max-age=3600")
                .cacheControl("sub/**", "no-cache").build();
        server = TestServer.start(b -> b.fallback(files));
        client = dev.brigade.testing.TestTransport.httpClient().build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
        files.close();
    }

    static HttpMessage raw(String requestLineTarget) {
        return raw("GET", requestLineTarget);
    }

    static HttpMessage raw(String method, String target) {
        try (RawClient c = server.connect()) {
            c.send(method + " " + target + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
            return c.readResponse(method.equals("HEAD"));
        }
    }

    HttpResponse<byte[]> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(server.base() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void servesAFileWithTypeLengthAndValidators() throws Exception {
        HttpResponse<byte[]> r = get("/hello.txt");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("hello, world\n");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(r.headers().firstValue("Content-Length")).hasValue("13");
        assertThat(r.headers().firstValue("ETag").orElseThrow()).matches("\"[0-9a-f]+-[0-9a-f]+\"");
        assertThat(r.headers().firstValue("Last-Modified").orElseThrow()).endsWith(" GMT");
        assertThat(r.headers().firstValue("Accept-Ranges")).hasValue("bytes");
    }

    @Test
    void contentTypesFromTheTable() throws Exception {
        assertThat(get("/style.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(get("/data.json").headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(get("/image.png").headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(get("/noext").headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(get("/").headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    }

    @Test
    void cacheControlByPattern() throws Exception {
        assertThat(get("/style.css").headers().firstValue("Cache-Control")).hasValue("public, max-age=3600");
        assertThat(get("/sub/page.html").headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(get("/sub/").headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(get("/hello.txt").headers().firstValue("Cache-Control")).isEmpty();
    }

    @Test
    void largeFileIsByteExact() throws Exception {
        HttpResponse<byte[]> r = get("/big.bin");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(site.big);
    }

    @Test
    void emptyFile() throws Exception {
        HttpResponse<byte[]> r = get("/empty.txt");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("Content-Length")).hasValue("0");
    }

    @Test
    void indexFileAndTrailingSlashRedirect() throws Exception {
        assertThat(new String(get("/").body(), StandardCharsets.UTF_8)).contains("home page");
        assertThat(new String(get("/sub/").body(), StandardCharsets.UTF_8)).isEqualTo("sub index");
        HttpMessage m = raw("/sub?x=1");
        assertThat(m.status()).isEqualTo(301);
        assertThat(m.header("Location")).isEqualTo("/sub/?x=1");
        for (String slashes : new String[] {"//sub", "///sub", "//sub?x=1"}) {
            HttpMessage r = raw(slashes);
            assertThat(r.status()).as(slashes).isEqualTo(301);
            assertThat(r.header("Location")).as("never a network-path reference (a redirect to the host 'sub')")
                    .startsWith("/sub/").doesNotStartWith("//");
        }
        assertThat(raw("/emptydir/").status()).as("no index, listing off").isEqualTo(404);
        assertThat(raw("/hello.txt/").status()).isEqualTo(404);
    }

    @Test
    void dotSegmentsAreOneWayInBothSpellings() throws Exception {
        for (String target : new String[] {"/sub/.", "/sub/%2e", "/sub/%2E", "/sub/x/..", "/sub/x/%2e%2e", "/sub/x/.%2e"}) {
            HttpMessage m = raw(target);
            assertThat(m.status()).as(target).isEqualTo(200);
            assertThat(m.bodyText()).as(target).isEqualTo("sub index");
        }
        assertThat(raw("/sub/%2e%2e/hello.txt").bodyText()).isEqualTo("hello, world\n");
    }

    @Test
    void percentEncodedAndUtf8Names() throws Exception {
        assertThat(get("/a%20b.txt").body()).isEqualTo(site.read("a b.txt"));
        assertThat(get("/100%25.txt").body()).isEqualTo(site.read("100%.txt"));
        assertThat(get("/na%C3%AFve%20caf%C3%A9.txt").body()).isEqualTo(site.read("naïve café.txt"));
        assertThat(get("/%E6%97%A5%E6%9C%AC%E8%AA%9E.txt").body()).isEqualTo(site.read("日本語.txt"));
        assertThat(get("/a%252Fb.txt").body()).isEqualTo(site.read("a%2Fb.txt"));
        assertThat(get("/nested//deep/./file.txt").statusCode()).isEqualTo(200);
        assertThat(raw("/nested/deep/../deep/file.txt").bodyText()).isEqualTo("deep");
    }

    @Test
    void encodedSlashIsNotASeparator() {
        assertThat(raw("/nested%2Fdeep%2Ffile.txt").status()).isEqualTo(404);
        assertThat(raw("/sub%2Findex.html").status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%zz", "/%4", "/a%", "/%C3%28.txt", "/%FF", "/%00", "/a%00.txt", "/%C0%AE%C0%AE/secret.txt"})
    void invalidEscapesAre400(String target) {
        assertThat(raw(target).status()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/../secret.txt", "/../../secret.txt", "/sub/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt",
        "/.%2e/secret.txt", "/%2e./secret.txt", "/sub/%2e%2e/%2e%2e/secret.txt", "/..%2Fsecret.txt",
        "/%2e%2e%2fsecret.txt", "/%2e%2e%5csecret.txt", "/..%5csecret.txt", "/..\\secret.txt", "/sub\\..\\..\\secret.txt",
        "/%5c..%5c..%5csecret.txt", "/link-out.txt", "/dir-out/secret.txt", "/dir-out/www-evil/x.txt",
        "/../www-evil/x.txt", "/%2e%2e/www-evil/x.txt", "http://test/../secret.txt", "/./../secret.txt",
        "/.hidden", "/.git/config", "/%2Ehidden", "/.git/", "/link-hidden", "/sub/..%2f..%2fsecret.txt",
        "//../secret.txt", "/%252e%252e/secret.txt", "/secret.txt%00.html"})
    void traversalNeverLeavesTheRoot(String target) {
        HttpMessage m = raw(target);
        assertThat(m.status()).as(target).isIn(400, 404);
        assertThat(m.rawText()).doesNotContain(SiteFixture.SECRET).doesNotContain("dot-file").doesNotContain("[core]");
    }

    @Test
    void linksInsideTheRootAreFollowed() throws Exception {
        assertThat(new String(get("/link-in.txt").body(), StandardCharsets.UTF_8)).isEqualTo("hello, world\n");
    }

    @Test
    void absoluteFormTarget() {
        assertThat(raw("http://test/hello.txt?x=y").bodyText()).isEqualTo("hello, world\n");
    }

    @Test
    void headHasTheHeadersAndNoBody() {
        try (RawClient c = server.connect()) {
            c.send("HEAD /style.css HTTP/1.1\r\nHost: t\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n");
            HttpMessage head = c.readResponse(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf("body { color: red; }\n".length() * 40));
            assertThat(head.header("ETag")).isNotNull();
            HttpMessage next = c.readResponse();
            assertThat(next.bodyText()).as("nothing leaked after the HEAD answer").isEqualTo("hello, world\n");
        }
    }

    @Test
    void optionsAndOtherMethods() {
        HttpMessage o = raw("OPTIONS", "/hello.txt");
        assertThat(o.status()).isEqualTo(204);
        assertThat(o.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
            try (RawClient c = server.connect()) {
                c.send(method + " /hello.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                HttpMessage m = c.readResponse();
                assertThat(m.status()).as(method).isEqualTo(405);
                assertThat(m.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
            }
        }
    }

    @Test
    void mountedUnderAPrefix() throws Exception {
        try (StaticFiles mounted = StaticFiles.builder(site.root).mount("/static/").build();
             TestServer ts = TestServer.start(b -> b.get("/static/*", mounted).get("/static", mounted));
             RawClient c = ts.connect()) {
            c.send("GET /static/hello.txt HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(c.readResponse().bodyText()).isEqualTo("hello, world\n");
            c.send("GET /static HTTP/1.1\r\nHost: t\r\n\r\n");
            HttpMessage m = c.readResponse();
            assertThat(m.status()).isEqualTo(301);
            assertThat(m.header("Location")).isEqualTo("/static/");
            c.send("GET /static/../secret.txt HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(c.readResponse().rawText()).doesNotContain(SiteFixture.SECRET);
        }
    }
}
