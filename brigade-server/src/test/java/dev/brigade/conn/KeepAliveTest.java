package dev.brigade.conn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.api.Transaction;
import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Persistent connections: reuse, the per-connection request limit, the idle timeout, and HTTP/1.0. */
class KeepAliveTest {

    @Test
    void jdkHttpClientReusesOneConnectionFor200SequentialRequests() throws Exception {
        AtomicInteger counter = new AtomicInteger();
        try (TestServer ts = TestServer.start(b -> b.keepAlive(Duration.ofSeconds(10), 1000)
                .get("/n", (req, res) -> res.send("n=" + counter.incrementAndGet())));
             HttpClient client = dev.brigade.testing.TestTransport.httpClient().build()) {
            for (int i = 1; i <= 200; i++) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(ts.uri("/n")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
                assertThat(r.body()).isEqualTo("n=" + i);
            }
            List<Transaction> txs = ts.nextTransactions(200, Duration.ofSeconds(5));
            assertThat(txs).extracting(Transaction::connectionId).as("connection ids").containsOnly(txs.getFirst().connectionId());
            assertThat(txs).allMatch(Transaction::completed);
            assertThat(ts.server().connectionsOpen()).isEqualTo(1);
            assertThat(ts.server().requestsServed()).isEqualTo(200);
        }
    }

    @Test
    void hundredthRequestIsAnsweredWithConnectionCloseAndTheConnectionClosed() {
        try (TestServer ts = TestServer.start(b -> b.get("/", (req, res) -> res.send("ok")));
             RawClient c = ts.connect()) {
            for (int i = 1; i <= 99; i++) {
                c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                HttpMessage r = c.readResponse();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("Connection")).as("response %d", i).isNull();
            }
            c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpMessage last = c.readResponse();
            assertThat(last.status()).isEqualTo(200);
            assertThat(last.bodyText()).isEqualTo("ok");
            assertThat(last.header("Connection")).as("response 100").isEqualToIgnoringCase("close");
            assertThat(c.readToEof()).as("EOF right after the 100th response").isEmpty();
        }
    }

    @Test
    void requestLimitAppliesToPipelinedRequestsToo() {
        try (TestServer ts = TestServer.start(b -> b.keepAlive(Duration.ofSeconds(5), 3)
                .get("/", (req, res) -> res.send("ok")));
             RawClient c = ts.connect()) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n".repeat(5));
            assertThat(c.readResponse().header("Connection")).isNull();
            assertThat(c.readResponse().header("Connection")).isNull();
            assertThat(c.readResponse().header("Connection")).isEqualToIgnoringCase("close");
            assertThat(c.readToEof()).as("requests 4 and 5 are not answered").isEmpty();
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosedAfterTheKeepAliveTimeout() throws Exception {
        try (TestServer ts = TestServer.start(b -> b.keepAlive(Duration.ofSeconds(1), 100)
                .get("/", (req, res) -> res.send("ok")));
             RawClient c = ts.connect()) {
            warmUp(ts); // the timer starts when the request is read: a cold first request would shorten it
            c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(200);
            long idleStart = System.nanoTime();
            assertThat(c.awaitClose(Duration.ofMillis(800))).as("still open at 0.8 s").isEqualTo(-1);
            long closedAfter = c.awaitClose(Duration.ofSeconds(3));
            long totalMillis = (System.nanoTime() - idleStart) / 1_000_000;
            assertThat(closedAfter).as("closed by the server within 3.8 s").isGreaterThanOrEqualTo(0);
            assertThat(totalMillis).as("idle time before the close").isBetween(800L, 2000L);
            ts.awaitNoConnections(Duration.ofSeconds(2));
        }
    }

    private static void warmUp(TestServer ts) {
        try (RawClient w = ts.connect()) {
            for (int i = 0; i < 20; i++) {
                w.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                w.readResponse();
            }
        }
    }

    @Test
    void requestsBeforeTheKeepAliveTimeoutKeepTheConnectionOpen() throws Exception {
        try (TestServer ts = TestServer.start(b -> b.keepAlive(Duration.ofSeconds(1), 100)
                .get("/", (req, res) -> res.send("ok")));
             RawClient c = ts.connect()) {
            for (int i = 0; i < 4; i++) { // 4 × 0.6 s: longer than the timeout in total, never idle that long
                c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(c.readResponse().status()).isEqualTo(200);
                assertThat(c.awaitClose(Duration.ofMillis(600))).isEqualTo(-1);
            }
            List<Transaction> txs = ts.nextTransactions(4, Duration.ofSeconds(2));
            assertThat(txs).extracting(Transaction::connectionId).containsOnly(txs.getFirst().connectionId());
        }
    }

    @Test
    void http10WithoutKeepAliveIsClosedAfterTheResponseWithoutChunking() {
        try (TestServer ts = TestServer.start(b -> b
                .get("/fixed", (req, res) -> res.send("fixed body"))
                .get("/stream", (req, res) -> {
                    try (var out = res.output()) {
                        out.write("streamed ".getBytes());
                        out.flush();
                        out.write("body".getBytes());
                    }
                }))) {
            try (RawClient c = ts.connect()) {
                c.send("GET /fixed HTTP/1.0\r\n\r\n");
                HttpMessage r = c.readResponse();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.statusLine()).startsWith("HTTP/1.1 200");
                assertThat(r.header("Content-Length")).isEqualTo("10");
                assertThat(r.header("Transfer-Encoding")).isNull();
                assertThat(r.bodyText()).isEqualTo("fixed body");
                assertThat(c.readToEof()).isEmpty();
            }
            try (RawClient c = ts.connect()) {
                c.send("GET /stream HTTP/1.0\r\n\r\n");
                HttpMessage r = c.readResponse(); // no length: the body ends at EOF
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("Transfer-Encoding")).as("no chunked to a 1.0 client").isNull();
                assertThat(r.header("Content-Length")).isNull();
                assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
                assertThat(r.bodyText()).isEqualTo("streamed body");
            }
            try (RawClient c = ts.connect()) {
                // the client asks to keep the connection, but a body of unknown length can only end at EOF
                c.send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                HttpMessage r = c.readResponse();
                assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
                assertThat(r.bodyText()).isEqualTo("streamed body");
            }
            ts.awaitNoConnections(Duration.ofSeconds(3));
        }
    }

    @Test
    void http10WithKeepAliveKeepsTheConnectionForASecondRequest() throws Exception {
        try (TestServer ts = TestServer.start(b -> b.get("/", (req, res) -> res.send("one-oh")));
             RawClient c = ts.connect()) {
            c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            HttpMessage first = c.readResponse();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.header("Connection")).isEqualToIgnoringCase("keep-alive");
            assertThat(first.header("Content-Length")).isEqualTo("6");
            assertThat(c.awaitClose(Duration.ofMillis(200))).as("still open after the first response").isEqualTo(-1);

            c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            HttpMessage second = c.readResponse();
            assertThat(second.bodyText()).isEqualTo("one-oh");
            assertThat(second.header("Connection")).isEqualToIgnoringCase("keep-alive");

            c.send("GET / HTTP/1.0\r\n\r\n"); // a third without keep-alive ends it
            HttpMessage third = c.readResponse();
            assertThat(third.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(c.readToEof()).isEmpty();
            List<Transaction> txs = ts.nextTransactions(3, Duration.ofSeconds(2));
            assertThat(txs).extracting(Transaction::connectionId).containsOnly(txs.getFirst().connectionId());
            assertThat(txs).extracting(Transaction::protocol).containsOnly("HTTP/1.0");
        }
    }
}
