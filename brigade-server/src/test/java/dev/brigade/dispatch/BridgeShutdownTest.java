package dev.brigade.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

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

/** Rivet's finalize, done properly, for every bridge: running jobs finish, later ones are rejected, the deadline holds. */
class BridgeShutdownTest {

    static Stream<Arguments> bridges() {
        return Stream.of(
                Arguments.of("inline", (Supplier<Bridge>) Bridges::inline),
                Arguments.of("pool", (Supplier<Bridge>) () -> Bridges.pool(2, 4)),
                Arguments.of("virtual", (Supplier<Bridge>) Bridges::virtualThreads),
                Arguments.of("virtual limited", (Supplier<Bridge>) () -> Bridges.virtualThreads(4)),
                Arguments.of("lazy", (Supplier<Bridge>) () -> Bridges.lazy(2, Duration.ofSeconds(30))));
    }

    /** Dispatches as a loop would: from a dedicated platform thread (inline runs the job right there). */
    private static void dispatchFromLoop(Bridge bridge, Job job) {
        Thread.ofPlatform().name("test-loop").start(() -> bridge.dispatch(job));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bridges")
    void aRunningJobFinishesLaterJobsAreRejectedAndTheDeadlineHolds(String name, Supplier<Bridge> make) throws Exception {
        Bridge bridge = make.get();
        bridge.serverInit();
        TestJob idleWarmup = TestJob.noop(); // gives bridges with idle workers one to wake at shutdown
        dispatchFromLoop(bridge, idleWarmup);
        assertThat(idleWarmup.awaitFinished(Duration.ofSeconds(5))).isTrue();

        TestJob running = TestJob.sleeping(Duration.ofSeconds(2));
        dispatchFromLoop(bridge, running);
        assertThat(running.awaitStarted(Duration.ofSeconds(5))).isTrue();

        long t0 = System.nanoTime();
        CompletableFuture<Boolean> result = CompletableFuture.supplyAsync(() -> bridge.shutdown(Duration.ofSeconds(5)));
        TestServer.await(() -> !bridge.acceptingJobs(), Duration.ofSeconds(5), () -> "the shutdown has begun");
        TestJob late = TestJob.noop();
        bridge.dispatch(late);
        assertThat(late.rejectedLatch.await(1, TimeUnit.SECONDS)).as("dispatched after shutdown began: rejected").isTrue();
        assertThat(late.runs.get()).isZero();

        assertThat(result.get(6, TimeUnit.SECONDS)).as("all finished").isTrue();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(running.finished.getCount()).as("the running job completed").isZero();
        assertThat(running.failure).as("not interrupted").isNull();
        assertThat(ms).isBetween(1_500L, 5_000L);
        assertThat(bridge.stats().busy()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bridges")
    void aJobOutlivingTheDeadlineMakesShutdownReturnFalseOnTime(String name, Supplier<Bridge> make) throws Exception {
        Bridge bridge = make.get();
        bridge.serverInit();
        CountDownLatch gate = new CountDownLatch(1);
        TestJob stuck = new TestJob(() -> {
            while (true) { // ignores interrupts on purpose: a bridge must not wait for it past the deadline
                try {
                    if (gate.await(10, TimeUnit.SECONDS)) {
                        return;
                    }
                } catch (InterruptedException ignored) {
                    // asked to stop; this job does not listen
                }
            }
        });
        dispatchFromLoop(bridge, stuck);
        assertThat(stuck.awaitStarted(Duration.ofSeconds(5))).isTrue();
        long t0 = System.nanoTime();
        boolean clean = bridge.shutdown(Duration.ofMillis(300));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(clean).isFalse();
        assertThat(ms).isBetween(250L, 2_000L);
        gate.countDown();
        assertThat(stuck.awaitFinished(Duration.ofSeconds(5))).isTrue();
        assertThat(bridge.shutdown(Duration.ofSeconds(5))).as("a second call waits again").isTrue();
    }
}
