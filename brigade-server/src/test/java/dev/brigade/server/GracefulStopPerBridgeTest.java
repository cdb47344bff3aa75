package dev.brigade.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.dispatch.Bridge;
import dev.brigade.dispatch.Bridges;
import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Graceful stop with every bridge: a 2 s request in flight completes, a request completed during
 * the drain gets 503 with Connection: close, and stop returns within its deadline.
 */
class GracefulStopPerBridgeTest {

    static Stream<Arguments> bridges() {
        return Stream.of(
                Arguments.of("pool", (Supplier<Bridge>) () -> Bridges.pool(2, 4)),
                Arguments.of("virtual", (Supplier<Bridge>) Bridges::virtualThreads),
                Arguments.of("lazy", (Supplier<Bridge>) () -> Bridges.lazy(2, Duration.ofSeconds(5))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bridges")
    void anInFlightRequestFinishesAndLaterOnesGet503(String name, Supplier<Bridge> bridge) throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        Server server = Server.builder().bind("127.0.0.1").port(0).loops(1).bridge(bridge.get())
                .get("/slow", (req, res) -> {
                    entered.countDown();
                    Thread.sleep(2000); // blocking is fine on these bridges
                    res.send("slow done");
                })
                .build().start();
        try (RawClient c = RawClient.connect(server.port());
             RawClient late = RawClient.connect(server.port())) {
            c.readTimeout(Duration.ofSeconds(10));
            // a request on its way when the stop begins: sent first, so that the loop has read it by
            // the time the other request reaches its handler (a connection that sent nothing yet is
            // idle, and rightly closed at once by the stop)
            late.send("GET /slow HTTP/1.1\r\n");
            c.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            long t0 = System.nanoTime();
            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> server.stop(Duration.ofSeconds(5)));
            TestServer.await(() -> !server.acceptingConnections(), Duration.ofSeconds(5), () -> "the stop has begun");
            late.send("Host: t\r\n\r\n"); // ...and complete during the drain
            HttpMessage refused = late.readResponse();
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isNotNull();
            assertThat(refused.closes()).isTrue();
            HttpMessage first = c.readResponse();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.bodyText()).isEqualTo("slow done");
            assertThat(first.closes()).as("the last response of a draining connection").isTrue();
            assertThat(stopped.get(10, TimeUnit.SECONDS)).as(name + ": stopped cleanly").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
    }
}
