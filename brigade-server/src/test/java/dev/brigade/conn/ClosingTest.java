package dev.brigade.conn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * How a connection ends after its last response. When the client asked for the close and sent
 * nothing more, the socket closes at once (nginx's behaviour: RFC 9112 9.6 forbids the client
 * further requests). Otherwise the close is lingering (httpd's): a FIN, then reading until the
 * client's, so that bytes still in flight cannot make the kernel reset the connection before the
 * client read its response. Each test keeps its own end open, so a lingering server shows as an
 * open connection (the linger time is 30 s here).
 */
class ClosingTest {

    private static final byte[] BIG = new byte[16 << 20]; // more than the socket buffers hold: the response leaves slowly

    private static TestServer server() {
        return TestServer.start(b -> b.linger(Duration.ofSeconds(30), Duration.ofSeconds(30))
                .get("/", (req, res) -> res.send("ok"))
                .get("/big", (req, res) -> res.send(BIG))
                .post("/ignore-body", (req, res) -> res.send("not read")));
    }

    /**
     * Waits until a connection is in LINGER: a lingering server shows it; one that closed at once
     * never does (the open-connection count is no proof: a client can see the FIN of an immediate
     * close before the server counts the connection closed).
     */
    private static void awaitLingering(TestServer ts, String why) {
        TestServer.await(() -> ts.server().stats().total().connections().get("LINGER") == 1, Duration.ofSeconds(10),
                () -> why + ": no connection lingering; states " + ts.server().stats().total().connections());
    }

    @Test
    void aClientsConnectionCloseEndsTheConnectionWithoutWaitingForTheClient() {
        try (TestServer ts = server(); RawClient c = ts.connect()) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            HttpMessage r = c.readResponse();
            assertThat(r.bodyText()).isEqualTo("ok");
            assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(c.readToEof()).isEmpty();
            // the client has not closed its end: only an immediate close gets the server to zero
            ts.awaitNoConnections(Duration.ofSeconds(10));
        }
    }

    @Test
    void anHttp10RequestWithoutKeepAliveEndsAtOnceToo() {
        try (TestServer ts = server(); RawClient c = ts.connect()) {
            c.send("GET / HTTP/1.0\r\n\r\n");
            assertThat(c.readResponse().bodyText()).isEqualTo("ok");
            assertThat(c.readToEof()).isEmpty();
            ts.awaitNoConnections(Duration.ofSeconds(10));
        }
    }

    @Test
    void aCloseTheServerDecidesLingersUntilTheClientCloses() {
        try (TestServer ts = TestServer.start(b -> b.linger(Duration.ofSeconds(30), Duration.ofSeconds(30))
                .keepAlive(Duration.ofSeconds(10), 1) // the first response is the last: the server's decision
                .get("/", (req, res) -> res.send("ok")));
             RawClient c = ts.connect()) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpMessage r = c.readResponse();
            assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(c.readToEof()).as("the server's FIN").isEmpty();
            awaitLingering(ts, "still reading until the client's FIN");
            c.close();
            ts.awaitNoConnections(Duration.ofSeconds(10));
        }
    }

    @Test
    void bytesSentAfterConnectionCloseAreLingeredOverNotReset() {
        try (TestServer ts = server(); RawClient c = ts.connect()) {
            // a client that breaks the rule: a second request behind its Connection: close
            c.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse().bodyText()).isEqualTo("ok");
            assertThat(c.readToEof()).as("one response, then a clean end (a reset would throw)").isEmpty();
            awaitLingering(ts, "lingering over the unread request");
        }
    }

    @Test
    void bytesThatArrivedWhileTheResponseWasLeavingAreLingeredOverNotReset() {
        try (TestServer ts = server(); RawClient c = ts.connect().smallReceiveBuffer()) {
            // a stray CRLF (RFC 9112 2.2 tells servers to tolerate one) reaches the socket while the
            // 16 MiB are still leaving (the head is here, the socket buffers hold a few MiB at most),
            // so the server has not read it when the response ends
            c.send("GET /big HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            c.awaitReceived("HTTP/1.1 200", Duration.ofSeconds(10));
            c.send("\r\n");
            HttpMessage r = c.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).as("all 16 MiB (a reset would throw or cut it)").hasSize(BIG.length);
            assertThat(c.readToEof()).isEmpty();
            awaitLingering(ts, "lingering over the stray bytes");
        }
    }

    @Test
    void aBodyLeftUnreadIsLingeredOverEvenWhenTheClientSaidClose() {
        try (TestServer ts = server(); RawClient c = ts.connect()) {
            c.send("POST /ignore-body HTTP/1.1\r\nHost: a\r\nConnection: close\r\nContent-Length: 1000000\r\n\r\n"
                    + "x".repeat(1000));
            assertThat(c.readResponse().bodyText()).isEqualTo("not read");
            c.send("y".repeat(1000)); // more of the body, after the response: must not meet a closed socket
            assertThat(c.readToEof()).as("a clean end (a reset would throw)").isEmpty();
            awaitLingering(ts, "lingering over the rest of the body");
        }
    }

    @Test
    void aBodyThatWaitedFor100ContinueIsLingeredOverToo() {
        try (TestServer ts = server(); RawClient c = ts.connect()) {
            // nothing of the body is in the server's buffer: only the body's state says more may come
            c.send("POST /ignore-body HTTP/1.1\r\nHost: a\r\nConnection: close\r\nExpect: 100-continue\r\n"
                    + "Content-Length: 1000000\r\n\r\n");
            HttpMessage r = c.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("not read");
            assertThat(c.readToEof()).isEmpty();
            awaitLingering(ts, "the client may send its body all the same");
        }
    }
}
