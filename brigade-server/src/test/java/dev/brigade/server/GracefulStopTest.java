package dev.brigade.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.api.Transaction;
import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code server.stop(grace)}: no new connections, idle ones closed at once, a response in flight
 * allowed to finish, then its connection closed; stop reports whether it had to cut anything.
 */
class GracefulStopTest {

    private static final int PIECES = 10;

    /** A handler streaming PIECES pieces, the first at once and the rest once {@code go} opens, 50 ms apart. */
    private static TestServer start(CountDownLatch go) {
        return start(go, 2);
    }

    private static TestServer start(CountDownLatch go, int loops) {
        return TestServer.start(b -> b.loops(loops).keepAlive(Duration.ofSeconds(30), 100)
                .get("/idle", (req, res) -> res.send("idle"))
                .get("/slow", (req, res) -> {
                    OutputStream out = res.output();
                    Thread.ofVirtual().start(() -> {
                        try (out) {
                            out.write("piece 0\n".getBytes());
                            out.flush();
                            go.await();
                            for (int i = 1; i < PIECES; i++) {
                                Thread.sleep(50);
                                out.write(("piece " + i + "\n").getBytes());
                                out.flush();
                            }
                        } catch (IOException | InterruptedException e) {
                            // the test sees the truncated body
                        }
                    });
                }));
    }

    @Test
    void aRequestPipelinedBehindOneRunningAtStopGets503() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        try (TestServer ts = TestServer.start(b -> b.loops(1).bridge(dev.brigade.dispatch.Bridges.virtualThreads())
                .get("/idle", (req, res) -> res.send("idle"))
                .get("/wait", (req, res) -> {
                    started.countDown();
                    go.await();
                    res.send("done");
                }));
             RawClient c = ts.connect()) {
            c.send("GET /wait HTTP/1.1\r\nHost: a\r\n\r\nGET /idle HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(started.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> ts.server().stop(Duration.ofSeconds(10)));
            TestServer.await(() -> !ts.server().acceptingConnections(), Duration.ofSeconds(5), () -> "draining");
            go.countDown();
            HttpMessage first = c.readResponse();
            assertThat(first.bodyText()).isEqualTo("done");
            assertThat(first.header("Connection")).as("a pipelined request is still to be answered").isNull();
            HttpMessage second = c.readResponse();
            assertThat(second.status()).isEqualTo(503);
            assertThat(second.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(second.header("Retry-After")).isNotNull();
            assertThat(c.readToEof()).isEmpty();
            assertThat(stopped.get(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void stopLetsAStreamedResponseFinishAndClosesIdleConnections() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        try (TestServer ts = start(go); RawClient idle = ts.connect(); RawClient busy = ts.connect()) {
            int port = ts.port();
            idle.send("GET /idle HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(idle.readResponse().bodyText()).isEqualTo("idle");
            busy.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
            busy.awaitReceived("piece 0\n", Duration.ofSeconds(5));
            ts.nextTransaction(Duration.ofSeconds(2)); // the idle one's

            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> ts.server().stop(Duration.ofSeconds(10)));
            assertThat(idle.awaitClose(Duration.ofSeconds(2))).as("the idle connection is closed at once").isBetween(0L, 1000L);
            assertThat(stopped).as("stop waits for the response in flight").isNotDone();
            assertThat(connectRefusedOrClosed(port)).as("new connections refused, closed or 503 once stopping").isTrue();

            go.countDown();
            HttpMessage r = busy.readResponse(); // the stream finishes, complete with its last chunk
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < PIECES; i++) {
                expected.append("piece ").append(i).append('\n');
            }
            assertThat(r.bodyText()).isEqualTo(expected.toString());
            assertThat(busy.readToEof()).as("then the server closes").isEmpty();
            assertThat(stopped.get(5, TimeUnit.SECONDS)).as("stop was clean: nothing had to be cut").isTrue();
            Transaction t = ts.nextTransaction(Duration.ofSeconds(2));
            assertThat(t.target()).isEqualTo("/slow");
            assertThat(t.completed()).isTrue();
            assertThat(ts.server().connectionsOpen()).isZero();
        }
    }

    @Test
    void stopCutsAResponseStillRunningAtTheDeadline() throws Exception {
        CountDownLatch go = new CountDownLatch(1); // never opened: the stream never ends
        try (TestServer ts = start(go); RawClient busy = ts.connect()) {
            busy.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
            busy.awaitReceived("piece 0\n", Duration.ofSeconds(5));
            long t0 = System.nanoTime();
            boolean clean = ts.server().stop(Duration.ofMillis(500));
            long tookMillis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(clean).isFalse();
            assertThat(tookMillis).isBetween(400L, 3000L);
            assertThat(busy.awaitClose(Duration.ofSeconds(2))).isGreaterThanOrEqualTo(0);
            assertThat(ts.server().connectionsOpen()).isZero();
            Transaction t = ts.nextTransaction(Duration.ofSeconds(2));
            assertThat(t.completed()).as("the cut response is reported as incomplete").isFalse();
        } finally {
            go.countDown();
        }
    }

    @Test
    void stopWithOnlyIdleConnectionsReturnsAtOnce() throws Exception {
        try (TestServer ts = start(new CountDownLatch(0), 1); RawClient a = ts.connect()) {
            a.send("GET /idle HTTP/1.1\r\nHost: a\r\n\r\n");
            a.readResponse();
            // b connects but sends nothing; with one loop, its accept also means a's exchange has
            // fully ended on the server (a's response can reach the client a moment before that)
            RawClient b = ts.connect();
            TestServer.await(() -> ts.server().connectionsOpen() == 2, Duration.ofSeconds(2), () -> "both accepted");
            long t0 = System.nanoTime();
            assertThat(ts.server().stop(Duration.ofSeconds(10))).isTrue();
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1000);
            assertThat(a.awaitClose(Duration.ofSeconds(1))).isGreaterThanOrEqualTo(0);
            assertThat(b.awaitClose(Duration.ofSeconds(1))).isGreaterThanOrEqualTo(0);
            b.close();
        }
    }

    @Test
    void requestPipelinedBehindTheResponseInFlightIsRefusedWith503() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        try (TestServer ts = start(go); RawClient busy = ts.connect()) {
            busy.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\nGET /idle HTTP/1.1\r\nHost: a\r\n\r\n");
            busy.awaitReceived("piece 0\n", Duration.ofSeconds(5));
            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> ts.server().stop(Duration.ofSeconds(10)));
            TestServer.await(() -> !ts.server().acceptingConnections(), Duration.ofSeconds(5), () -> "the stop has begun");
            go.countDown();
            HttpMessage first = busy.readResponse();
            assertThat(first.bodyText()).endsWith("piece " + (PIECES - 1) + "\n");
            HttpMessage second = busy.readResponse();
            assertThat(second.status()).isEqualTo(503);
            assertThat(second.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(second.header("Retry-After")).isNotNull();
            assertThat(busy.readToEof()).isEmpty();
            busy.close();
            assertThat(stopped.get(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void requestSentDuringStopGets503AfterTheResponseInFlightArrivesIntact() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        try (TestServer ts = start(go); RawClient busy = ts.connect()) {
            busy.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
            busy.awaitReceived("piece 0\n", Duration.ofSeconds(5));
            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> ts.server().stop(Duration.ofSeconds(10)));
            TestServer.await(() -> !ts.server().acceptingConnections(), Duration.ofSeconds(5), () -> "the stop has begun");
            busy.send("GET /idle HTTP/1.1\r\nHost: a\r\n\r\n"); // buffered, not parsed, until the response ends
            go.countDown();
            HttpMessage first = busy.readResponse();
            assertThat(first.bodyText()).endsWith("piece " + (PIECES - 1) + "\n");
            HttpMessage late = busy.readResponse();
            assertThat(late.status()).as("a request arriving during the drain").isEqualTo(503);
            assertThat(late.closes()).isTrue();
            assertThat(busy.readToEof()).as("then a clean end (FIN, not reset)").isEmpty();
            busy.close();
            assertThat(stopped.get(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static boolean connectRefusedOrClosed(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(2000);
            s.getOutputStream().write("GET /idle HTTP/1.1\r\nHost: a\r\n\r\n".getBytes());
            byte[] status = s.getInputStream().readNBytes(12); // accepted by a loop not yet told: 503
            return status.length < 12 || new String(status).equals("HTTP/1.1 503");
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return true; // reset: not served either
        }
    }
}
