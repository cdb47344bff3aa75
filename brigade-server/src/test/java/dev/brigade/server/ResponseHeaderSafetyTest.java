package dev.brigade.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Response splitting is refused where the header is set: the handler gets an
 * IllegalArgumentException, the client a 500, and the bad header never reaches the wire.
 */
class ResponseHeaderSafetyTest {

    private static final AtomicReference<CompletableFuture<Throwable>> THROWN = new AtomicReference<>();
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start(b -> b
                .get("/set", (req, res) -> attempt(() -> res.header("X-Bad", req.queryParam("v"))))
                .get("/add", (req, res) -> attempt(() -> res.headers().add("X-Bad", req.queryParam("v"))))
                .get("/name", (req, res) -> attempt(() -> res.header(req.queryParam("v"), "x")))
                .get("/ok", (req, res) -> res.send("ok")));
    }

    /** Records what the header call threw, then lets it escape the handler as an application would. */
    private static void attempt(Runnable setHeader) {
        try {
            setHeader.run();
            THROWN.get().complete(null);
        } catch (RuntimeException e) {
            THROWN.get().complete(e);
            throw e;
        }
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void resetCapture() {
        THROWN.set(new CompletableFuture<>());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "/set?v=a%0D%0AInjected:%20yes",
            "/set?v=a%0AInjected:%20yes",
            "/set?v=a%0DInjected:%20yes",
            "/set?v=a%00Injected",
            "/add?v=a%0D%0A%0D%0AHTTP/1.1%20200%20OK%0D%0AInjected:%20yes",
            "/name?v=X-Injected:%20yes%0D%0AX",
            "/name?v=Bad%20Name"})
    void headerThatCouldSplitTheResponseIsRefused(String target) throws Exception {
        try (RawClient c = server.connect()) {
            c.send("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpMessage r = c.readResponse();
            assertThat(THROWN.get().get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalArgumentException.class);
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.rawText()).doesNotContain("Injected").doesNotContain("X-Bad").doesNotContain("Bad Name");
            // the connection is intact: the next request gets exactly its own response
            c.send("GET /ok HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpMessage next = c.readResponse();
            assertThat(next.bodyText()).isEqualTo("ok");
            assertThat(next.rawText()).doesNotContain("Injected");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/set?v=plain%20value", "/set?v=tab%09inside", "/set?v=caf%C3%A9"})
    void harmlessValuesAreAccepted(String target) throws Exception {
        try (RawClient c = server.connect()) {
            c.send("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpMessage r = c.readResponse();
            assertThat(THROWN.get().get(5, TimeUnit.SECONDS)).isNull();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("X-Bad")).isNotNull();
        }
    }
}
