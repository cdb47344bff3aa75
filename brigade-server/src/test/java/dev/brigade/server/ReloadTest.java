package dev.brigade.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.dispatch.Bridge;
import dev.brigade.dispatch.Bridges;
import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link Server#reload}: a running server takes another configuration (sites, bridges) without
 * dropping a connection or failing a request; requests already routed finish under the old one.
 */
class ReloadTest {

    /** Generation {@code g}: {@code /gen} names it; even generations add the host {@code added.test}. */
    private static Server.Builder generation(int g, Bridge bridge) {
        Server.Builder b = Server.builder().bind("127.0.0.1").port(0).loops(2).bridge(bridge)
                .get("/gen", (req, res) -> res.send("gen " + g))
                .get("/who", (req, res) -> res.send("default"));
        if (g % 2 == 0) {
            b.virtualHost("added.test", vh -> vh.get("/who", (req, res) -> res.send("added " + g)));
        }
        return b;
    }

    @Test
    void twentyReloadsUnderLoadFailNoRequestAndAnAddedHostAnswersRightAfterItsReload() throws Exception {
        Server server = generation(1, Bridges.inline()).build().start();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicBoolean reloading = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        AtomicReference<String> failure = new AtomicReference<>();
        URI gen = URI.create("http://127.0.0.1:" + server.port() + "/gen");
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<Thread> load = java.util.stream.IntStream.range(0, 4).mapToObj(i -> Thread.ofVirtual().start(() -> {
            while (reloading.get() && System.nanoTime() < giveUp) {
                try {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(gen).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200 || !r.body().startsWith("gen ")) {
                        failure.compareAndSet(null, r.statusCode() + " " + r.body());
                    }
                    ok.incrementAndGet();
                } catch (Exception e) {
                    failure.compareAndSet(null, e.toString());
                }
            }
        })).toList();
        try {
            for (int g = 2; g <= 21; g++) {
                // alternate between the loops and a fresh pool, so the old bridge retires under load
                Bridge bridge = g % 3 == 0 ? Bridges.pool(2, 64) : Bridges.inline();
                long before = ok.get();
                assertThat(server.reload(generation(g, bridge))).as("nothing needs a restart").isEmpty();
                try (RawClient c = RawClient.connect(server.port())) {
                    HttpMessage who = c.send("GET /who HTTP/1.1\r\nHost: added.test\r\n\r\n").readResponse();
                    assertThat(who.bodyText()).as("after reload %d", g).isEqualTo(g % 2 == 0 ? "added " + g : "default");
                }
                TestServer.await(() -> ok.get() > before + 5, Duration.ofSeconds(20), () -> "load goes on");
            }
            assertThat(server.configGeneration()).isEqualTo(21);
        } finally {
            reloading.set(false);
            for (Thread t : load) {
                t.join();
            }
            server.stop(Duration.ofSeconds(5));
        }
        assertThat(failure.get()).as("first failed request").isNull();
        assertThat(ok.get()).isGreaterThan(100);
    }

    @Test
    void aRequestInFlightFinishesUnderItsOldConfigurationAndItsBridgeRetiresAfterwards() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Bridge oldPool = Bridges.pool(1, 4);
        Server server = Server.builder().bind("127.0.0.1").port(0).bridge(oldPool)
                .get("/gen", (req, res) -> {
                    entered.countDown();
                    release.await();
                    res.send("gen 1");
                }).build().start();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI gen = URI.create("http://127.0.0.1:" + server.port() + "/gen");
        try {
            CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(HttpRequest.newBuilder(gen).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            server.reload(generation(2, Bridges.inline()));
            assertThat(client.send(HttpRequest.newBuilder(gen).build(), HttpResponse.BodyHandlers.ofString()).body())
                    .as("a new request sees the new configuration at once").isEqualTo("gen 2");
            assertThat(oldPool.stats().threads()).as("the old pool still runs its request").isEqualTo(1);
            release.countDown();
            HttpResponse<String> old = inFlight.get(10, TimeUnit.SECONDS);
            assertThat(old.statusCode()).isEqualTo(200);
            assertThat(old.body()).isEqualTo("gen 1");
            TestServer.await(() -> oldPool.stats().threads() == 0, Duration.ofSeconds(20),
                    () -> "the old pool retires once idle: " + oldPool.stats());
        } finally {
            release.countDown();
            server.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void whatOnlyARestartCanChangeIsNamedAndKept() {
        Server server = generation(1, Bridges.inline()).build().start();
        try {
            List<String> kept = server.reload(Server.builder().bind("127.0.0.1").port(0).loops(7)
                    .headerTimeout(Duration.ofSeconds(3), Duration.ofSeconds(9)));
            assertThat(kept).containsExactly("loops 7", "connection limits and timeouts");
            assertThat(server.configGeneration()).isEqualTo(2);
        } finally {
            server.stop(Duration.ofSeconds(5));
        }
    }
}
