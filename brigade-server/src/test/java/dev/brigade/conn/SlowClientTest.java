package dev.brigade.conn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.api.Transaction;
import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * mod_reqtimeout's rule: a request head must arrive within its deadline (2 s here, growing by 1 s
 * per 500 B up to 4 s); a client dribbling one byte per second gets 408 and is closed, and costs the
 * other clients of the same loop nothing meanwhile.
 */
class SlowClientTest {

    @Test
    void headerTrickledOneBytePerSecondGets408WhileAnotherClientIsServed() throws Exception {
        try (TestServer ts = TestServer.start(b -> b.loops(1).headerTimeout(Duration.ofSeconds(2), Duration.ofSeconds(4))
                .linger(Duration.ofSeconds(30), Duration.ofSeconds(2))
                .get("/fast", (req, res) -> res.send("fast")));
             HttpClient client = dev.brigade.testing.TestTransport.httpClient().build()) {
            long start = System.nanoTime(); // the deadline runs from the accept
            RawClient slow = ts.connect();
            byte[] head = "GET /fast HTTP/1.1\r\nHost: a\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1);
            AtomicBoolean stop = new AtomicBoolean();
            java.util.concurrent.CountDownLatch trickling = new java.util.concurrent.CountDownLatch(2);
            Thread trickler = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < head.length && !stop.get(); i++) {
                    try {
                        slow.socket().getOutputStream().write(head[i]);
                        trickling.countDown();
                        Thread.sleep(1000); // the slow client's pace: what the test is about
                    } catch (Exception e) {
                        return; // the server closed: the trickle is over
                    }
                }
            });
            try {
                // meanwhile, on the same (single) loop, a normal client is answered while the slow
                // one is still trickling: its head is not complete and its 408 has not been sent
                assertThat(trickling.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(ts.uri("/fast")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("fast");
                assertThat(slow.socket().getInputStream().available()).as("the slow client has no answer yet").isZero();
                assertThat(trickler.isAlive()).as("and is still sending its head").isTrue();

                HttpMessage timeout = slow.readResponse();
                long elapsed = (System.nanoTime() - start) / 1_000_000;
                assertThat(timeout.status()).isEqualTo(408);
                assertThat(timeout.header("Connection")).isEqualToIgnoringCase("close");
                assertThat(elapsed).as("408 after the 2 s header deadline (plus a few bytes' worth), before 4 s")
                        .isBetween(1900L, 4000L);
                assertThat(slow.readToEof()).as("closed after the 408").isEmpty();
            } finally {
                stop.set(true);
                trickler.join(5000);
                slow.close();
            }
            assertThat(ts.nextTransaction(Duration.ofSeconds(2)).status()).isIn(200, 408);
        }
    }

    @Test
    void headerArrivingSlowlyButWithinTheDeadlineIsServed() throws Exception {
        try (TestServer ts = TestServer.start(b -> b.loops(1).headerTimeout(Duration.ofSeconds(2), Duration.ofSeconds(4))
                .get("/", (req, res) -> res.send("ok")));
             RawClient c = ts.connect()) {
            c.send("GET / HTTP/1.1\r\n");
            Thread.sleep(800);
            c.send("Host: a\r\n");
            Thread.sleep(800);
            c.send("\r\n");
            HttpMessage r = c.readResponse();
            assertThat(r.status()).isEqualTo(200);
        }
    }

    @Test
    void connectionThatNeverSendsAByteIsClosedSilentlyAtTheHeaderDeadline() {
        try (TestServer ts = TestServer.start(b -> b.loops(1).headerTimeout(Duration.ofSeconds(1), Duration.ofSeconds(2))
                .get("/", (req, res) -> res.send("ok")));
             RawClient c = ts.connect()) {
            assertThat(c.awaitClose(Duration.ofMillis(700))).as("open before the deadline").isEqualTo(-1);
            long closedAfter = c.awaitClose(Duration.ofSeconds(3));
            assertThat(closedAfter).as("closed shortly after 1 s").isBetween(0L, 1500L);
            ts.awaitNoConnections(Duration.ofSeconds(2));
        }
    }
    @Test
    void bodyStalledMidwayGets408AfterTheBodyTimeout() throws Exception {
        try (TestServer ts = TestServer.start(b -> b.loops(1).bodyTimeout(Duration.ofSeconds(1))
                .post("/upload", (req, res) -> req.body().thenAccept(body -> res.send("got " + body.length))));
             RawClient c = ts.connect()) {
            long start = System.nanoTime();
            c.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nonly part of it");
            HttpMessage r = c.readResponse();
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(elapsed).isBetween(900L, 3000L);
            assertThat(c.readToEof()).isEmpty();
            Transaction t = ts.nextTransaction(Duration.ofSeconds(2));
            assertThat(t.status()).isEqualTo(408);
        }
    }

    @Test
    void readerThatNeverReadsIsDroppedAfterTheWriteTimeout() throws Exception {
        byte[] big = new byte[32 * 1024 * 1024];
        try (TestServer ts = TestServer.start(b -> b.loops(1).writeTimeout(Duration.ofSeconds(1))
                .get("/big", (req, res) -> res.send(big))
                .get("/small", (req, res) -> res.send("small")));
             RawClient c = ts.connect()) {
            c.smallReceiveBuffer();
            c.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n");
            long start = System.nanoTime();
            Transaction t = ts.nextTransaction(Duration.ofSeconds(5)); // reported when the server gives up
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            assertThat(t.completed()).isFalse();
            assertThat(t.bytesSent()).isLessThan(big.length);
            assertThat(elapsed).as("no progress for 1 s").isBetween(800L, 4000L);
            ts.awaitNoConnections(Duration.ofSeconds(2));
            try (RawClient next = ts.connect()) {
                next.send("GET /small HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(next.readResponse().bodyText()).isEqualTo("small");
            }
        }
    }
}
