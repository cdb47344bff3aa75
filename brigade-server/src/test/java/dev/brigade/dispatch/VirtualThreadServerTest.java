package dev.brigade.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.server.Server;
import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The virtual-thread bridge through the real server: scale with few carriers, and no pinning in Brigade code. */
class VirtualThreadServerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    @Timeout(120)
    void tenThousandConcurrentSleepingRequestsOnAHandfulOfCarriers() throws Exception {
        int n = 10_000;
        Set<String> carriers = ConcurrentHashMap.newKeySet();
        AtomicInteger inHandler = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        VirtualThreadBridge bridge = Bridges.virtualThreads();
        Server server = Server.builder().bind("127.0.0.1").port(0).loops(2).acceptBacklog(8192).bridge(bridge)
                .get("/sleep", (req, res) -> {
                    peak.accumulateAndGet(inHandler.incrementAndGet(), Math::max);
                    carriers.add(carrier());
                    Thread.sleep(100);
                    carriers.add(carrier());
                    inHandler.decrementAndGet();
                    res.send("ok");
                })
                .build().start();
        AtomicInteger peakPlatformThreads = new AtomicInteger();
        Thread sampler = Thread.ofPlatform().daemon(true).start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakPlatformThreads.accumulateAndGet(Thread.getAllStackTraces().size(), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            String java = ProcessHandle.current().info().command().orElse(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString());
            String classes = Path.of(VtLoadClient.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            Process client = new ProcessBuilder(java, "-Xmx512m", "-cp", classes, VtLoadClient.class.getName(),
                    String.valueOf(server.port()), String.valueOf(n), "/sleep")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out;
            try (InputStream in = client.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            assertThat(client.waitFor(90, TimeUnit.SECONDS)).isTrue();
            System.out.println("virtual threads, " + n + " requests: " + out + ", carriers " + carriers
                    + ", peak concurrent in handler " + peak.get() + ", peak platform threads " + peakPlatformThreads.get());
            assertThat(out).startsWith("ok=" + n + " failed=0");
            long ms = Long.parseLong(out.substring(out.indexOf("ms=") + 3));
            assertThat(ms).as("concurrent, not 10,000 x 100 ms").isLessThan(60_000);
            assertThat(peak.get()).as("requests sleeping at the same time").isGreaterThan(500);
            assertThat(carriers.size()).as("carrier threads: " + carriers)
                    .isLessThanOrEqualTo(Runtime.getRuntime().availableProcessors() + 2);
            assertThat(peakPlatformThreads.get()).as("platform threads in the server JVM").isLessThan(200);
            assertThat(bridge.stats().completed()).isGreaterThanOrEqualTo(n);
        } finally {
            sampler.interrupt();
            server.stop(WAIT);
        }
    }

    /** The carrier a virtual thread is mounted on, from its toString: {@code VirtualThread[#id,name]/runnable@ForkJoinPool-1-worker-N}. */
    private static String carrier() {
        String s = Thread.currentThread().toString();
        int at = s.indexOf('@');
        return at < 0 ? "(unmounted?) " + s : s.substring(at + 1);
    }

    /** Holds a class whose initializer sleeps: blocking in a class initializer still pins (JEP 491). */
    static final class SlowInit {
        static {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static void touch() {
        }
    }

    @Test
    @Timeout(60)
    void theJfrCheckSeesPinningWhenThereIsSome() throws Exception {
        List<String> stacks = JfrPinning.pinnedStacksDuring(() -> Thread.ofVirtual().start(SlowInit::touch).join());
        assertThat(stacks).anyMatch(s -> s.contains("SlowInit"));
    }

    @Test
    @Timeout(60)
    void noVirtualThreadIsPinnedInBrigadeCodeUnderLoad() throws Exception {
        VirtualThreadBridge bridge = Bridges.virtualThreads(64);
        Server server = Server.builder().bind("127.0.0.1").port(0).loops(2).bridge(bridge)
                .get("/sleep", (req, res) -> {
                    Thread.sleep(5);
                    res.send("slept");
                })
                .post("/echo", (req, res) -> {
                    byte[] body = req.bodyStream().readAllBytes(); // blocks this virtual thread
                    res.send(body);
                })
                .get("/stream", (req, res) -> {
                    try (OutputStream out = res.output()) {
                        for (int i = 0; i < 32; i++) {
                            out.write(new byte[8192]);
                            out.flush();
                        }
                    }
                })
                .build().start();
        // platform-thread clients: only the server's virtual threads can produce pinned events
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            // warm up first, one request of each kind at a time: a virtual thread waiting for a class
            // another thread is loading is pinned (a JVM fact, not Brigade's), and classes load once
            load(server, clients, 3, false);
            List<String> stacks = JfrPinning.pinnedStacksDuring(() -> load(server, clients, 300, true));
            List<String> ours = stacks.stream().filter(s -> s.contains("dev.brigade")).toList();
            System.out.println("pinned events: " + stacks.size() + ", in Brigade code: " + ours.size());
            assertThat(ours).as("pinned virtual threads with Brigade frames").isEmpty();
        } finally {
            clients.shutdownNow();
            server.stop(WAIT);
        }
    }

    /**
     * {@code n} requests spread over sleeping, body-reading and streaming handlers, all at once or
     * one after the other; all must succeed.
     */
    private static void load(Server server, ExecutorService clients, int n, boolean together) throws Exception {
        List<Future<Integer>> calls = new ArrayList<>();
        String body = "x".repeat(20_000);
        for (int i = 0; i < n; i++) {
            int kind = i % 3;
            Future<Integer> call = clients.submit(() -> {
                try (RawClient c = RawClient.connect(server.port())) {
                    c.send(switch (kind) {
                        case 0 -> "GET /sleep HTTP/1.1\r\nHost: a.test\r\n\r\n";
                        case 1 -> "POST /echo HTTP/1.1\r\nHost: a.test\r\nContent-Length: " + body.length()
                                + "\r\n\r\n" + body;
                        default -> "GET /stream HTTP/1.1\r\nHost: a.test\r\n\r\n";
                    });
                    HttpMessage m = c.readResponse();
                    int expected = kind == 0 ? 5 : kind == 1 ? body.length() : 32 * 8192;
                    return m.status() == 200 && m.body().length == expected ? 1 : 0;
                }
            });
            if (!together) {
                call.get(30, TimeUnit.SECONDS);
            }
            calls.add(call);
        }
        int ok = 0;
        for (Future<Integer> f : calls) {
            ok += f.get(30, TimeUnit.SECONDS);
        }
        assertThat(ok).isEqualTo(n);
    }
}
