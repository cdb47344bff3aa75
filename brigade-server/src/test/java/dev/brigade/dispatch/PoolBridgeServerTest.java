package dev.brigade.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.server.Server;
import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** seeds-spec §6 item 9 through the real server: pool 1, backlog 1, three slow requests. */
@Timeout(30)
class PoolBridgeServerTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static Server start(PoolBridge pool, CountDownLatch gate) {
        return Server.builder().bind("127.0.0.1").port(0).loops(1).bridge(pool)
                .get("/slow", (req, res) -> {
                    Thread.sleep(1000);
                    res.send("ok");
                })
                .get("/gated", (req, res) -> { // slow until the test says so: no race with a clock
                    gate.await(10, TimeUnit.SECONDS);
                    res.send("ok");
                })
                .build().start();
    }

    private static final String SLOW = "GET /gated HTTP/1.1\r\nHost: a.test\r\n\r\n";

    @Test
    void theThirdOfThreeSlowRequestsGets503AtOnce() throws Exception {
        PoolBridge pool = Bridges.pool(1, 1);
        CountDownLatch gate = new CountDownLatch(1);
        Server server = start(pool, gate);
        try (RawClient c1 = RawClient.connect(server.port());
             RawClient c2 = RawClient.connect(server.port());
             RawClient c3 = RawClient.connect(server.port());
             // connected while a worker is idle: once all are busy the loops stop accepting (httpd's
             // rule), so a connection opened later would wait in the kernel backlog instead
             RawClient c4 = RawClient.connect(server.port())) {
            assertThat(TestJob.eventually(WAIT, () -> server.connectionsOpen() == 4)).isTrue();
            c1.send(SLOW);
            assertThat(TestJob.eventually(WAIT, () -> pool.stats().busy() == 1 && pool.idleWorkers() == 0)).isTrue();
            c2.send(SLOW);
            assertThat(TestJob.eventually(WAIT, () -> pool.stats().queued() == 1)).isTrue();
            assertThat(pool.saturated()).isTrue();
            c3.send(SLOW);
            HttpMessage third = c3.readResponse();
            assertThat(third.status()).isEqualTo(503);
            assertThat(third.header("Retry-After")).isNotBlank();
            assertThat(third.closes()).as("Connection: close").isTrue();
            // "at once" as cause, not as a stopwatch: the 503 came while the only worker was still
            // held by the gate, so it did not wait for a worker (the latency is a benchmark's business)
            assertThat(gate.getCount()).as("the worker is still held").isEqualTo(1);
            assertThat(pool.stats().busy()).isEqualTo(1);
            assertThat(c3.awaitClose(WAIT)).isGreaterThanOrEqualTo(0);
            c4.send(SLOW);
            assertThat(c4.readResponse().status()).isEqualTo(503);
            assertThat(gate.getCount()).as("still held: the second 503 did not wait either").isEqualTo(1);
            gate.countDown();

            HttpMessage first = c1.readResponse();
            HttpMessage second = c2.readResponse();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.bodyText()).isEqualTo("ok");
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.bodyText()).isEqualTo("ok");
            assertThat(pool.stats().rejected()).isEqualTo(2);
        } finally {
            gate.countDown();
            server.stop(WAIT);
        }
    }

    @Test
    void threeConcurrentSlowRequestsWithTheJdkClient() throws Exception {
        PoolBridge pool = Bridges.pool(1, 1);
        Server server = start(pool, new CountDownLatch(0));
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/slow"))
                        .timeout(WAIT).build();
                calls.add(client.sendAsync(r, HttpResponse.BodyHandlers.ofString()));
            }
            int ok = 0;
            int shed = 0;
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = calls.get(i).get();
                if (r.statusCode() == 503) {
                    shed++;
                    assertThat(r.headers().firstValue("retry-after")).isPresent();
                    assertThat(r.headers().firstValue("connection")).hasValue("close");
                } else {
                    ok++;
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.body()).isEqualTo("ok");
                }
            }
            // The exact split (two served, one shed) is asserted with raw sockets above, where the
            // test controls when each connection is accepted. The JDK client opens its connections
            // when it likes: on a loaded machine the third may arrive after the first handler has
            // finished, and is then rightly served. Every call must still end in one of the two ways.
            assertThat(ok).isGreaterThanOrEqualTo(2);
            assertThat(ok + shed).isEqualTo(3);
        } finally {
            server.stop(WAIT);
        }
    }
}
