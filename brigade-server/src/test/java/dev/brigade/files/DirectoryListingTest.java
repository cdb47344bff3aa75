package dev.brigade.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Directory listings: off by default; HTML sorted on the server by name, size or date (so it works
 * without JavaScript), names escaped, human-readable sizes; JSON on request; and the page rendered
 * in headless Chromium, whose screenshot is kept as {@code target/test-artifacts/files/listing.png},
 * with its sort links and entry links followed in the browser.
 */
class DirectoryListingTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path ARTIFACTS = Path.of("target/test-artifacts/files");

    @TempDir
    static Path tmp;
    static Path root;
    static StaticFiles files;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        root = Files.createDirectories(tmp.resolve("www"));
        long t = 1_700_000_000_000L;
        make("alpha.txt", 10, t);
        make("Bravo.bin", 5_000_000, t + 3_000_000);
        make("charlie.css", 2048, t - 86_400_000);
        make("<img src=x onerror=alert(1)>.txt", 3, t + 1000);
        make("a&b \"quoted\" 'x'.txt", 4, t + 2000);
        make("naïve café.txt", 1500, t + 4000);
        make(".secret", 1, t);
        Files.createDirectories(root.resolve("docs/inner"));
        Files.writeString(root.resolve("docs/readme.md"), "# readme\n");
        Files.createDirectories(root.resolve("with index"));
        Files.writeString(root.resolve("with index/index.html"), "<p>indexed</p>");
        files = StaticFiles.builder(root).listing(true).build();
        server = TestServer.start(b -> b.fallback(files));
    }

    static void make(String name, int size, long mtime) throws Exception {
        Path p = root.resolve(name);
        Files.write(p, new byte[size]);
        Files.setLastModifiedTime(p, FileTime.fromMillis(mtime));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
            files.close();
        }
    }

    static HttpMessage get(String target, String accept) {
        try (RawClient c = server.connect()) {
            c.send("GET " + target + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                    + (accept == null ? "" : "Accept: " + accept + "\r\n") + "\r\n");
            return c.readResponse();
        }
    }

    /** File names in the order the page lists them (directories first). */
    static List<String> names(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<td class=\"name\"><a href=\"([^\"]*)\">").matcher(html);
        while (m.find()) {
            if (!m.group(1).equals("../")) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    @Test
    void offByDefault() throws Exception {
        try (StaticFiles plain = StaticFiles.builder(root).build();
             TestServer ts = TestServer.start(b -> b.fallback(plain));
             RawClient c = ts.connect()) {
            c.send("GET /docs/ HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(404);
        }
    }

    @Test
    void htmlListingIsEscapedSortedAndReadable() {
        HttpMessage m = get("/", null);
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        String html = m.bodyText();
        assertThat(html).doesNotContain("<img src=x").contains("&lt;img src=x onerror=alert(1)&gt;.txt")
                .contains("a&amp;b &quot;quoted&quot; &#39;x&#39;.txt").doesNotContain(".secret")
                .contains("4.8 MiB").contains("2.0 KiB").contains("10 B").contains("href=\"na%C3%AFve%20caf%C3%A9.txt\"")
                .doesNotContain("Parent directory");
        assertThat(names(html)).startsWith("docs/", "with%20index/");
        assertThat(names(get("/?sort=size&order=desc", null).bodyText()))
                .containsSubsequence("Bravo.bin", "charlie.css", "na%C3%AFve%20caf%C3%A9.txt", "alpha.txt");
        assertThat(names(get("/?sort=date", null).bodyText()))
                .containsSubsequence("charlie.css", "alpha.txt", "Bravo.bin");
        assertThat(names(get("/?sort=name&order=desc", null).bodyText()).subList(2, 4))
                .containsExactly("na%C3%AFve%20caf%C3%A9.txt", "charlie.css");
        assertThat(get("/docs/", null).bodyText()).contains("Parent directory").contains("href=\"inner/\"");
        assertThat(get("/with%20index/", null).bodyText()).isEqualTo("<p>indexed</p>");
    }

    @Test
    void aHugeDirectoryIsListedWholeOffTheLoop(@TempDir Path other) throws Exception {
        Path big = Files.createDirectories(other.resolve("big"));
        for (int i = 0; i < 20_000; i++) {
            Files.createFile(big.resolve("f" + i));
        }
        try (StaticFiles listing = StaticFiles.builder(other).listing(true).build();
             TestServer ts = TestServer.start(b -> b.loops(1).fallback(listing));
             RawClient c = ts.connect()) {
            c.send("GET /big/ HTTP/1.1\r\nHost: t\r\nAccept: application/json\r\n\r\n"
                    + "GET /big HTTP/1.1\r\nHost: t\r\n\r\n"); // pipelined behind it: answered in order
            HttpMessage m = c.readResponse();
            assertThat(m.status()).isEqualTo(200);
            String json = m.bodyText();
            assertThat(json.split("\"name\"", -1)).hasSize(20_001);
            assertThat(json).contains("\"f0\"").contains("\"f19999\"");
            assertThat(c.readResponse().status()).isEqualTo(301);
        }
    }

    @Test
    void aListingShowsOnlyWhatCanBeFetched(@TempDir Path other) throws Exception {
        Path site = Files.createDirectories(other.resolve("site"));
        Path outside = Files.writeString(other.resolve("passwd"), "root:x:0:0\n");
        Files.writeString(site.resolve("real.txt"), "real\n");
        Files.writeString(site.resolve(".hidden"), "hidden\n");
        Files.createSymbolicLink(site.resolve("inside-link"), site.resolve("real.txt"));
        Files.createSymbolicLink(site.resolve("passwd-link"), outside);
        Files.createSymbolicLink(site.resolve("dir-out"), other);
        Files.createSymbolicLink(site.resolve("hidden-link"), site.resolve(".hidden"));
        Files.createSymbolicLink(site.resolve("dangling"), other.resolve("nowhere"));
        for (boolean linksOut : new boolean[] {false, true}) {
            try (StaticFiles listing = StaticFiles.builder(site).listing(true).symlinksOutside(linksOut).build();
                 TestServer ts = TestServer.start(b -> b.fallback(listing));
                 RawClient c = ts.connect()) {
                c.send("GET / HTTP/1.1\r\nHost: t\r\nAccept: application/json\r\n\r\n");
                String json = c.readResponse().bodyText();
                List<String> listed = new ArrayList<>();
                Matcher m = Pattern.compile("\"name\":\"([^\"]*)\"").matcher(json);
                while (m.find()) {
                    listed.add(m.group(1));
                }
                if (linksOut) {
                    assertThat(listed).containsExactlyInAnyOrder("dir-out", "inside-link", "passwd-link", "real.txt");
                } else {
                    assertThat(listed).as("links out of the root answer 404: not listed")
                            .containsExactlyInAnyOrder("inside-link", "real.txt");
                }
                for (String name : listed) {
                    c.send("HEAD /" + name + (name.equals("dir-out") ? "/" : "") + " HTTP/1.1\r\nHost: t\r\n\r\n");
                    assertThat(c.readResponse(true).status()).as(name + " is listed, so it can be fetched").isEqualTo(200);
                }
            }
        }
    }

    @Test
    void jsonListing() {
        HttpMessage m = get("/", "application/json");
        assertThat(m.header("Content-Type")).isEqualTo("application/json");
        assertThat(m.header("Vary")).isEqualTo("Accept");
        assertThat(m.bodyText()).startsWith("[").contains("{\"name\":\"docs\",\"type\":\"directory\",\"size\":0,")
                .contains("{\"name\":\"Bravo.bin\",\"type\":\"file\",\"size\":5000000,\"modified\":\"2023-11-14T")
                .contains("\"name\":\"a&b \\\"quoted\\\" 'x'.txt\"").doesNotContain(".secret");
    }

    @Test
    void renderedInHeadlessChromiumWithWorkingSortAndLinks() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "chromium is not installed (apt-get install chromium)");
        Files.createDirectories(ARTIFACTS);
        String base = "http://127.0.0.1:" + server.port() + "/";
        Path png = ARTIFACTS.resolve("listing.png").toAbsolutePath();
        Files.deleteIfExists(png);
        chromium("--screenshot=" + png, "--window-size=1100,700", base + "?sort=size&order=desc");
        assertThat(png).exists();
        byte[] image = Files.readAllBytes(png);
        assertThat(image.length).isGreaterThan(5000);
        assertThat(new String(image, 1, 3, StandardCharsets.ISO_8859_1)).isEqualTo("PNG");

        // the DOM as the browser built it: the escaped name is text, not a script element
        String dom = chromium("--dump-dom", base);
        assertThat(dom).contains("Index of /").doesNotContain("<img src=\"x\"").contains("&lt;img src=x onerror=alert(1)&gt;.txt");
        // follow the size heading's link as the browser resolves it, twice: ascending, then descending
        String sizeHref = attribute(dom, "<th class=\"size\"><a href=\"", "\"").replace("&amp;", "&");
        String bySizeDesc = chromium("--dump-dom", URI.create(base).resolve(sizeHref).toString());
        assertThat(names(bySizeDesc)).containsSubsequence("Bravo.bin", "charlie.css", "alpha.txt");
        assertThat(bySizeDesc).contains("aria-sort=\"descending\"");
        // every entry link resolves, in the browser, to something the server serves
        try (HttpClient client = HttpClient.newHttpClient()) {
            for (String href : names(dom)) {
                URI target = URI.create(base).resolve(href);
                HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(target).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(r.statusCode()).as(href).isEqualTo(200);
            }
        }
        String docs = chromium("--dump-dom", URI.create(base).resolve("docs/").toString());
        assertThat(docs).contains("Index of /docs/").contains("readme.md");
        String parent = attribute(docs, "<td class=\"name\"><a href=\"", "\"");
        assertThat(URI.create(base + "docs/").resolve(parent).toString()).isEqualTo(base);
    }

    private static String attribute(String html, String before, String after) {
        int i = html.indexOf(before);
        assertThat(i).as(before).isNotNegative();
        int s = i + before.length();
        return html.substring(s, html.indexOf(after, s));
    }

    private static String chromium(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + tmp.resolve("chromium-profile")));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(p.exitValue()).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }
}
