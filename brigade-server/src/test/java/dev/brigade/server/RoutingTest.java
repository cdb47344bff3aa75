package dev.brigade.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the application sees through the server: routes, methods, parameters, virtual hosts, HEAD. */
class RoutingTest {

    private static final AtomicReference<Map<String, List<String>>> QUERY = new AtomicReference<>();
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start(b -> b
                .get("/", (req, res) -> res.send("default host"))
                .get("/items", (req, res) -> res.send("list"))
                .post("/items", (req, res) -> res.status(201).send("created"))
                .put("/things", (req, res) -> res.send("replaced"))
                .patch("/things", (req, res) -> res.send("patched"))
                .delete("/things", (req, res) -> res.status(204).send())
                .get("/users/{id}/posts/{post}", (req, res) ->
                        res.send("user=" + req.pathParam("id") + " post=" + req.pathParam("post")
                                + " other=" + req.pathParam("other")))
                .get("/files/*", (req, res) -> res.send("rest=" + req.pathParam("*")))
                .get("/doc", (req, res) -> res.header("X-Doc", "yes").send("ten bytes!"))
                .get("/stream", (req, res) -> {
                    try (OutputStream out = res.output()) {
                        out.write("streamed".getBytes());
                    }
                })
                .get("/q", (req, res) -> {
                    QUERY.set(req.queryParams());
                    res.send("name=" + req.queryParam("name") + "|missing=" + req.queryParam("missing")
                            + "|path=" + req.path() + "|query=" + req.query());
                })
                .virtualHost("api.example.com", vh -> vh
                        .get("/", (req, res) -> res.send("api host " + req.host()))
                        .fallback((req, res) -> res.status(404).send("api has no " + req.path())), "api.local")
                .virtualHost("www.example.com", vh -> vh.get("/", (req, res) -> res.send("www host"))));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static HttpMessage get(String request) {
        try (RawClient c = server.connect()) {
            c.send(request);
            return c.readResponse();
        }
    }

    private static HttpMessage get(String target, String host) {
        return get("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    }

    @Test
    void theServerBuilderRoutesEveryCommonMethod() {
        for (String[] m : new String[][] {{"PUT", "200", "replaced"}, {"PATCH", "200", "patched"}, {"DELETE", "204", ""}}) {
            HttpMessage r = get(m[0] + " /things HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            assertThat(r.status()).as(m[0]).isEqualTo(Integer.parseInt(m[1]));
            assertThat(r.bodyText()).as(m[0]).isEqualTo(m[2]);
        }
    }

    @Test
    void unknownPathIs404() {
        HttpMessage r = get("/nothing/here", "localhost");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.bodyText()).isEqualTo("404 Not Found\n");
    }

    @Test
    void wrongMethodIs405WithAllow() {
        HttpMessage r = get("DELETE /items HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(r.status()).isEqualTo(405);
        assertThat(Arrays.asList(r.header("Allow").split(",\\s*"))).containsExactlyInAnyOrder("GET", "POST", "HEAD", "OPTIONS");
    }

    @Test
    void optionsOnAKnownPathIs204WithAllow() {
        HttpMessage r = get("OPTIONS /items HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.header("Allow")).contains("GET").contains("POST");
        assertThat(r.header("Content-Length")).isNull();
    }

    @Test
    void methodsOfOneRouteReachTheirHandlers() {
        assertThat(get("POST /items HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n").status()).isEqualTo(201);
        assertThat(get("/items", "a").bodyText()).isEqualTo("list");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/users/42/posts/7|user=42 post=7 other=null",
            "/users/a%20b/posts/x|user=a b post=x other=null",
            "/files/a/b/c.txt|rest=a/b/c.txt"})
    void pathParametersAreBound(String target, String expected) {
        HttpMessage r = get(target, "a");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo(expected);
    }

    @Test
    void pathWithAnEmptyParameterSegmentDoesNotMatch() {
        assertThat(get("/users//posts/7", "a").status()).isEqualTo(404);
    }

    @ParameterizedTest(name = "Host {0}")
    @CsvSource({
            "api.example.com, api host api.example.com",
            "API.Example.COM:8080, api host api.example.com",
            "api.local, api host api.local",
            "www.example.com, www host",
            "other.example.com, default host",
            "127.0.0.1, default host"})
    void virtualHostIsChosenByHostWithADefault(String host, String expected) {
        assertThat(get("/", host).bodyText()).isEqualTo(expected);
    }

    @Test
    void virtualHostsHaveTheirOwnRoutesAndFallback() {
        HttpMessage r = get("/items", "api.example.com");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.bodyText()).isEqualTo("api has no /items");
    }

    @Test
    void http10WithoutHostGoesToTheDefaultHost() {
        assertThat(get("GET / HTTP/1.0\r\n\r\n").bodyText()).isEqualTo("default host");
    }

    @Test
    void absoluteFormTargetChoosesTheHostOfTheTarget() {
        assertThat(get("GET http://api.example.com/ HTTP/1.1\r\nHost: www.example.com\r\nConnection: close\r\n\r\n")
                .bodyText()).isEqualTo("api host api.example.com");
    }

    @Test
    void headHasTheHeadersOfGetWithContentLengthButNoBody() {
        try (RawClient c = server.connect()) {
            c.send("HEAD /doc HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpMessage head = c.readResponse(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo("10");
            assertThat(head.header("X-Doc")).isEqualTo("yes");
            // had any body byte been sent, this next response would not parse as one
            c.send("HEAD /stream HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpMessage streamHead = c.readResponse(true);
            assertThat(streamHead.status()).isEqualTo(200);
            c.send("GET /doc HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            HttpMessage get = c.readResponse();
            assertThat(get.bodyText()).isEqualTo("ten bytes!");
            assertThat(c.readToEof()).isEmpty();
        }
    }

    @Test
    void queryParametersAreDecoded() {
        HttpMessage r = get("/q?name=J%C3%BCrgen+Smith&x=1&x=2&empty=&flag&sp%20ace=%2B%26", "a");
        assertThat(r.bodyText()).isEqualTo("name=Jürgen Smith|missing=null|path=/q"
                + "|query=name=J%C3%BCrgen+Smith&x=1&x=2&empty=&flag&sp%20ace=%2B%26");
        assertThat(QUERY.get()).containsExactly(
                Map.entry("name", List.of("Jürgen Smith")),
                Map.entry("x", List.of("1", "2")),
                Map.entry("empty", List.of("")),
                Map.entry("flag", List.of("")),
                Map.entry("sp ace", List.of("+&")));
    }

    @Test
    void percentEncodedPathIsDecodedBeforeRouting() {
        assertThat(get("/%69tems", "a").bodyText()).isEqualTo("list");
    }

    @Test
    void invalidPercentEncodingInTheTargetIs400() {
        try (RawClient c = server.connect()) {
            c.send("GET /items%G1 HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpMessage r = c.readResponse();
            assertThat(r.status()).isEqualTo(400);
            assertThat(c.readToEof()).isEmpty();
        }
        try (RawClient c = server.connect()) {
            c.send("GET /caf%C3 HTTP/1.1\r\nHost: a\r\n\r\n"); // a truncated UTF-8 sequence
            assertThat(c.readResponse().status()).isEqualTo(400);
        }
    }
}
