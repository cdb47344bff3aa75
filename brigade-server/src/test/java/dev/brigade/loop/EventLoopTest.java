package dev.brigade.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.net.Poller;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventLoopTest {

    private final EventLoop loop = new EventLoop(7);

    @AfterEach
    void stop() throws InterruptedException {
        loop.shutdown();
        assertThat(loop.awaitTermination(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void tasksFromOtherThreadsRunOnTheLoopThread() throws Exception {
        loop.start();
        CompletableFuture<String> thread = new CompletableFuture<>();
        loop.execute(() -> thread.complete(Thread.currentThread().getName() + " inLoop=" + loop.inLoop()));
        assertThat(thread.get(5, TimeUnit.SECONDS)).isEqualTo("brigade-loop-7 inLoop=true");
        assertThat(loop.inLoop()).isFalse();
    }

    @Test
    void aHandlerThatThrowsIsToldAndTheLoopCarriesOn() throws Exception {
        loop.start();
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        AtomicReference<Throwable> reported = new AtomicReference<>();
        CountDownLatch failed = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                loop.register((dev.brigade.net.NioPollable) pipe::source, Poller.READ, new IoHandler() {
                    @Override
                    public void onReady(int readyOps) {
                        throw new IllegalStateException("boom");
                    }

                    @Override
                    public void onFailure(Throwable failure) {
                        reported.set(failure);
                        try {
                            pipe.source().close();
                        } catch (java.io.IOException ignored) {
                            // test cleanup
                        }
                        failed.countDown();
                    }
                });
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });
        pipe.sink().write(java.nio.ByteBuffer.wrap(new byte[] {1}));
        assertThat(failed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(reported.get()).hasMessage("boom");
        CompletableFuture<Boolean> stillRunning = new CompletableFuture<>();
        loop.execute(() -> stillRunning.complete(true));
        assertThat(stillRunning.get(5, TimeUnit.SECONDS)).isTrue();
        pipe.sink().close();
    }

    @Test
    void aTimeoutFiresNearItsDeadlineWithoutAnyOtherEvent() throws Exception {
        CompletableFuture<Long> firedAfterMillis = new CompletableFuture<>();
        TimeoutQueue queue = loop.timeoutQueue("test", Duration.ofMillis(200));
        loop.start();
        long[] start = new long[1];
        loop.execute(() -> {
            start[0] = System.nanoTime();
            queue.add(new TimeoutQueue.Entry(now -> firedAfterMillis.complete((System.nanoTime() - start[0]) / 1_000_000)),
                    loop.nowNanos());
        });
        long ms = firedAfterMillis.get(5, TimeUnit.SECONDS);
        assertThat(ms).isBetween(150L, 1000L);
    }

    @Test
    void scheduledTimersRunInDeadlineOrderAndCancelledOnesNever() throws Exception {
        loop.start();
        java.util.List<String> ran = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(() -> {
            loop.schedule(Duration.ofMillis(120), () -> ran.add("late"));
            loop.schedule(Duration.ofMillis(40), () -> ran.add("early"));
            Timers.Timer cancelled = loop.schedule(Duration.ofMillis(60), () -> ran.add("cancelled"));
            cancelled.cancel();
            loop.schedule(Duration.ofMillis(200), done::countDown);
        });
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly("early", "late");
    }

    @Test
    void queuesWithTheSameTimeoutAreShared() {
        assertThat(loop.timeoutQueue("a", Duration.ofSeconds(5))).isSameAs(loop.timeoutQueue("b", Duration.ofSeconds(5)));
        assertThat(loop.timeoutQueue("a", Duration.ofSeconds(5))).isNotSameAs(loop.timeoutQueue("c", Duration.ofSeconds(6)));
    }
}
