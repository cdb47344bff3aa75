package dev.brigade.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.api.Response;
import dev.brigade.api.Transaction;
import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** {@link Server#stats()}: connections per state, traffic, timeouts and rates, seen through real requests. */
class ServerStatsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    /** Waits until a fresh snapshot satisfies {@code condition} (the loops count on their own threads). */
    private static ServerStats awaitStats(Server server, Predicate<ServerStats> condition, String what) {
        TestServer.await(() -> condition.test(server.stats()), WAIT, () -> what + ": " + server.stats());
        return server.stats();
    }

    private static long state(ServerStats s, String state) {
        return s.total().connections().get(state);
    }

    @Test
    void aKeepAliveConnectionIsCountedInKeepAliveThenInHandlerWhileParked() throws Exception {
        var parked = new ConcurrentLinkedQueue<Response>();
        try (TestServer ts = TestServer.start(b -> b.loops(2)
                .get("/hi", (req, res) -> res.send("hi"))
                .get("/park", (req, res) -> {
                    parked.add(res);
                    res.suspend(Duration.ofSeconds(30));
                }));
             RawClient c = ts.connect()) {
            c.send("GET /hi HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(200);
            ServerStats s = awaitStats(ts.server(), x -> state(x, "KEEPALIVE") == 1, "one idle keep-alive connection");
            assertThat(s.total().open()).isEqualTo(1);
            assertThat(s.total().accepted()).isEqualTo(1);
            assertThat(s.loops()).hasSize(2);
            assertThat(s.loops().stream().mapToLong(l -> l.connections().get("KEEPALIVE")).sum())
                    .as("the total is the loops summed").isEqualTo(1);

            c.send("GET /park HTTP/1.1\r\nHost: a\r\n\r\n");
            s = awaitStats(ts.server(), x -> state(x, "SUSPENDED") == 1, "the parked exchange");
            assertThat(state(s, "KEEPALIVE")).isZero();
            parked.poll().send("late");
            assertThat(c.readResponse().bodyText()).isEqualTo("late");
            awaitStats(ts.server(), x -> state(x, "KEEPALIVE") == 1 && state(x, "SUSPENDED") == 0, "back to keep-alive");
        }
        // after the server stopped, every connection it accepted is counted as closed
    }

    @Test
    void requestsBytesMethodsAndHistogramsMatchWhatTheClientSaw() throws Exception {
        try (TestServer ts = TestServer.start(b -> b.loops(1)
                .get("/small", (req, res) -> res.send("small body"))
                .post("/echo", (req, res) -> req.body().thenAccept(res::send))
                .get("/teapot", (req, res) -> res.status(418).send("short and stout")));
             RawClient c = ts.connect()) {
            c.send("GET /small HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpMessage small = c.readResponse();
            c.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
            HttpMessage echo = c.readResponse();
            c.send("GET /teapot HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpMessage teapot = c.readResponse();
            List<Transaction> done = ts.nextTransactions(3, WAIT);
            long clientBytes = small.raw().length + echo.raw().length + teapot.raw().length;
            assertThat(done.stream().mapToLong(Transaction::bytesSent).sum()).isEqualTo(clientBytes);

            ServerStats.Traffic t = awaitStats(ts.server(), x -> x.total().traffic().requests() == 3, "3 requests")
                    .total().traffic();
            assertThat(t.bytesSent()).as("bytes counted as the client received them").isEqualTo(clientBytes);
            assertThat(t.byMethod()).containsEntry("GET", 2L).containsEntry("POST", 1L).containsEntry("PUT", 0L);
            assertThat(t.byStatusClass()).containsEntry("2xx", 2L).containsEntry("4xx", 1L).containsEntry("5xx", 0L);
            assertThat(t.latencySeconds().count()).isEqualTo(3);
            assertThat(t.responseBytes().count()).isEqualTo(3);
            assertThat(t.responseBytes().sum()).isEqualTo((double) clientBytes);
            long[] expected = new long[t.responseBytes().counts().size()];
            for (HttpMessage m : List.of(small, echo, teapot)) {
                int i = 0;
                while (i < t.responseBytes().upperBounds().size() && m.raw().length > t.responseBytes().upperBounds().get(i)) {
                    i++;
                }
                expected[i]++;
            }
            assertThat(t.responseBytes().counts()).as("each response in the bucket of its size")
                    .containsExactly(java.util.Arrays.stream(expected).boxed().toArray(Long[]::new));
            assertThat(t.incomplete()).isZero();
            ServerStats.Rate minute = ts.server().stats().rates().get(2);
            assertThat(minute.windowSeconds()).isEqualTo(60);
            assertThat(minute.requestsPerSecond()).as("3 requests in a server younger than a minute").isPositive();
            assertThat(minute.bytesPerSecond()).isPositive();
        }
    }

    @Test
    void aSlowHeadIsAnswered408AndCountedAsAHeaderTimeout() throws Exception {
        try (TestServer ts = TestServer.start(b -> b.loops(1)
                .headerTimeout(Duration.ofMillis(200), Duration.ofMillis(200)));
             RawClient c = ts.connect()) {
            c.send("GET / HTTP/1.1\r\nHo");
            assertThat(c.readResponse().status()).isEqualTo(408);
            ServerStats s = awaitStats(ts.server(), x -> x.total().traffic().status408() == 1, "one 408");
            assertThat(s.total().traffic().timeouts()).containsEntry("header", 1L).containsEntry("write", 0L);
            assertThat(s.total().traffic().byStatusClass()).containsEntry("4xx", 1L);
            assertThat(s.total().traffic().byMethod()).as("the method was never known").containsEntry("OTHER", 1L);
        }
    }

    @Test
    void anIdleKeepAliveTimeoutIsCountedAndTheConnectionClosed() throws Exception {
        try (TestServer ts = TestServer.start(b -> b.loops(1).keepAlive(Duration.ofMillis(100), 100)
                .get("/hi", (req, res) -> res.send("hi")));
             RawClient c = ts.connect()) {
            c.send("GET /hi HTTP/1.1\r\nHost: a\r\n\r\n");
            c.readResponse();
            c.awaitClose(WAIT);
            ServerStats s = awaitStats(ts.server(), x -> x.total().traffic().timeouts().get("keepalive") == 1,
                    "the keep-alive timeout");
            awaitStats(ts.server(), x -> x.total().closed() == 1 && x.total().open() == 0, "closed, none open");
            assertThat(s.total().traffic().timeouts().get("header")).isZero();
        }
    }

    @Test
    void countsWithoutAnyTransactionListenerAndSeesThePoolsRejects() throws Exception {
        var pool = dev.brigade.dispatch.Bridges.pool(1, 0);
        var release = new java.util.concurrent.CountDownLatch(1);
        Server server = Server.builder().bind("127.0.0.1").port(0).loops(1).bridge(pool) // no onTransactionDone hook
                .get("/block", (req, res) -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    res.send("done");
                })
                .build().start();
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/block");
            var first = client.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            ServerStats busy = awaitStats(server, x -> x.bridges().getFirst().stats().busy() == 1
                    && x.total().connections().get("HANDLER") == 1, "the worker holds the first request");
            assertThat(busy.bridges().getFirst().name()).isEqualTo(pool.name());
            assertThat(client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(503);
            release.countDown();
            assertThat(first.get(5, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            ServerStats s = awaitStats(server, x -> x.total().traffic().requests() == 2, "both requests");
            assertThat(s.total().traffic().status503()).isEqualTo(1);
            assertThat(s.bridges().getFirst().stats().rejected()).isEqualTo(1);
            assertThat(s.sequence()).isGreaterThan(busy.sequence());
        } finally {
            server.stop(Duration.ofSeconds(2));
        }
    }
}
