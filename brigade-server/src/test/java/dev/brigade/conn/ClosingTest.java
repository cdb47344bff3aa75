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

    private static TestServer server() {
        return TestServer.start(b -> b.linger(Duration.ofSeconds(30), Duration.ofSeconds(30))
                .get("/", (req, res) -> res.send("ok"))
                .post("/ignore-body", (req, res) -> res.send("not read")));
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
            assertThat(ts.server().connectionsOpen()).as("lingering: still reading until the client's FIN").isEqualTo(1);
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
            assertThat(ts.server().connectionsOpen()).as("lingering over the unread request").isEqualTo(1);
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
            assertThat(ts.server().connectionsOpen()).as("lingering over the rest of the body").isEqualTo(1);
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
            assertThat(ts.server().connectionsOpen()).as("lingering: the client may send its body all the same").isEqualTo(1);
        }
    }
}
