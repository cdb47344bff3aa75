package dev.brigade.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.api.Handler;
import dev.brigade.api.Request;
import dev.brigade.api.Response;
import dev.brigade.server.Server;
import dev.brigade.server.VirtualHost;
import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The lazy bridge through the real server and real sockets (seeds-spec §6 items 20, 21, 23). */
@Timeout(60)
class LazyBridgeServerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int N = 6;

    private final Map<String, Thread> threadsByName = new ConcurrentHashMap<>();
    private final AtomicReference<CyclicBarrier> barrier = new AtomicReference<>();
    private final List<Confined> instances = new ArrayList<>();
    private LazyBridge lazy;
    private Server server;

    /** A thread-confined handler instance: records every thread that used it. */
    final class Confined implements Handler {
        final int id;
        final Set<Thread> users = ConcurrentHashMap.newKeySet();

        Confined(int id) {
            this.id = id;
        }

        @Override
        public void handle(Request req, Response res) throws Exception {
            users.add(Thread.currentThread());
            CyclicBarrier b = barrier.get();
            if (b != null && req.queryParam("together") != null) {
                b.await(5, TimeUnit.SECONDS);
            }
            res.send(id + " " + who());
        }
    }

    private String who() {
        Thread t = Thread.currentThread();
        threadsByName.put(t.getName(), t);
        return t.getName();
    }

    /**
     * Every host the tests use is a configured virtual host, so the lazy bridge sees the same host
     * name whether the server keys jobs by the Host header or by the matched virtual host.
     */
    private void start(Duration idleTimeout) {
        lazy = Bridges.lazy(N, idleTimeout);
        AtomicInteger ids = new AtomicInteger();
        Handler confined = PerThread.handler(() -> {
            Confined c = new Confined(ids.incrementAndGet());
            synchronized (instances) { // test bookkeeping only
                instances.add(c);
            }
            return c;
        });
        Consumer<VirtualHost> routes = vh -> vh
                .get("/who", (req, res) -> res.send(who()))
                .get("/burst", (req, res) -> {
                    barrier.get().await(5, TimeUnit.SECONDS);
                    res.send(who());
                })
                .get("/confined", confined)
                .get("/retire", (req, res) -> {
                    PerThread.retire();
                    res.send(who());
                });
        Server.Builder b = Server.builder().bind("127.0.0.1").port(0).loops(1).bridge(lazy).defaultHost(routes);
        for (String host : List.of("a.test", "r.test", "c.test", "c2.test", "x.test")) {
            b.virtualHost(host, routes);
        }
        server = b.virtualHost("b.test", vh -> vh.get("/who", (req, res) -> res.send("b " + who())))
                .build().start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(WAIT);
            assertThat(lazy.shutdown(WAIT)).isTrue();
        }
    }

    private HttpMessage get(String host, String target) {
        try (RawClient c = RawClient.connect(server.port())) {
            c.send("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
            return c.readResponse();
        }
    }

    /** Sends {@code n} requests at once on separate connections, then reads all responses. */
    private List<HttpMessage> burst(int n, String host, String target) {
        List<RawClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                RawClient c = RawClient.connect(server.port());
                clients.add(c);
                c.send("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            }
            List<HttpMessage> out = new ArrayList<>();
            for (RawClient c : clients) {
                out.add(c.readResponse());
            }
            return out;
        } finally {
            clients.forEach(RawClient::close);
        }
    }

    /** Waits until no worker is busy: a response leaves before its worker is back on the stack. */
    private void settle() throws InterruptedException {
        assertThat(TestJob.eventually(WAIT, () -> lazy.stats().busy() == 0)).isTrue();
    }

    @Test
    void lazyCreationBurstReuseAndPerHostPools() throws Exception {
        start(Duration.ofSeconds(30));
        assertThat(TestJob.threadsNamed("brigade-lazy-")).as("no thread before the first request").isZero();

        barrier.set(new CyclicBarrier(N));
        List<HttpMessage> burst = burst(N, "a.test", "/burst");
        Set<String> names = new HashSet<>();
        for (HttpMessage m : burst) {
            assertThat(m.status()).isEqualTo(200);
            names.add(m.bodyText());
        }
        assertThat(names).hasSize(N).allMatch(n -> n.startsWith("brigade-lazy-a.test-"));
        assertThat(TestJob.threadsNamed("brigade-lazy-a.test-")).isEqualTo(N);
        settle();

        Set<String> sequential = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            HttpMessage m = get("a.test", "/who");
            assertThat(m.status()).isEqualTo(200);
            sequential.add(m.bodyText());
            settle();
        }
        assertThat(sequential).as("LIFO: sequential requests reuse one thread").hasSize(1);
        assertThat(names).containsAll(sequential);
        assertThat(TestJob.threadsNamed("brigade-lazy-a.test-")).isEqualTo(N);

        HttpMessage b = get("b.test", "/who");
        assertThat(b.bodyText()).startsWith("b brigade-lazy-b.test-");
        assertThat(TestJob.threadsNamed("brigade-lazy-b.test-")).isEqualTo(1);
        assertThat(lazy.hostStats().get("a.test").threads()).isEqualTo(N);
        assertThat(lazy.hostStats().get("b.test").threads()).isEqualTo(1);
    }

    @Test
    void idleWorkersAreReaped() throws Exception {
        start(Duration.ofMillis(300));
        barrier.set(new CyclicBarrier(3));
        for (HttpMessage m : burst(3, "r.test", "/burst")) {
            assertThat(m.status()).isEqualTo(200);
        }
        assertThat(get("b.test", "/who").status()).isEqualTo(200);
        assertThat(TestJob.threadsNamed("brigade-lazy-r.test-")).isEqualTo(3);
        long t0 = System.nanoTime();
        assertThat(TestJob.eventually(WAIT, () -> TestJob.threadsNamed("brigade-lazy-") == 0)).isTrue();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isLessThan(2_000);
        for (Thread t : threadsByName.values()) {
            assertThat(t.join(WAIT)).isTrue();
        }
        assertThat(lazy.stats().threads()).isZero();
        assertThat(get("r.test", "/who").status()).as("a new worker after reaping").isEqualTo(200);
    }

    @Test
    void threadConfinedInstancesAreNeverShared() throws Exception {
        start(Duration.ofSeconds(30));
        for (int round = 0; round < 5; round++) {
            barrier.set(new CyclicBarrier(4));
            for (HttpMessage m : burst(4, "c.test", "/confined?together")) {
                assertThat(m.status()).isEqualTo(200);
            }
            settle();
            for (int i = 0; i < 5; i++) {
                assertThat(get(i % 2 == 0 ? "c.test" : "c2.test", "/confined").status()).isEqualTo(200);
            }
        }
        synchronized (instances) {
            assertThat(instances).hasSizeBetween(5, N + N);
            for (Confined c : instances) {
                assertThat(c.users).as("instance %d used by", c.id).hasSize(1);
            }
            assertThat(instances.stream().map(c -> c.users.iterator().next()).distinct()).hasSize(instances.size());
        }
    }

    @Test
    void aRetiredWorkerNeverReceivesAnotherRequest() throws Exception {
        start(Duration.ofSeconds(30));
        barrier.set(new CyclicBarrier(3));
        burst(3, "x.test", "/burst");
        settle();
        HttpMessage retired = get("x.test", "/retire");
        assertThat(retired.status()).isEqualTo(200);
        Thread dead = threadsByName.get(retired.bodyText());
        assertThat(dead.join(WAIT)).as("the retired worker ends").isTrue();
        assertThat(lazy.hostStats().get("x.test").threads()).isEqualTo(2);
        Set<String> after = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            HttpMessage m = get("x.test", "/who");
            assertThat(m.status()).isEqualTo(200);
            after.add(m.bodyText());
        }
        barrier.set(new CyclicBarrier(N));
        for (HttpMessage m : burst(N, "x.test", "/burst")) {
            assertThat(m.status()).isEqualTo(200);
            after.add(m.bodyText());
        }
        assertThat(after).doesNotContain(retired.bodyText());
        assertThat(threadsByName.values().stream().filter(t -> t == dead)).hasSize(1);
        assertThat(dead.isAlive()).isFalse();
    }
}
