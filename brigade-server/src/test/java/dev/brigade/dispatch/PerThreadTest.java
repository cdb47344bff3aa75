package dev.brigade.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.api.Handler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PerThreadTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A handler instance that remembers every thread that used it, and whether it was closed. */
    static final class Recorder implements Handler, AutoCloseable {
        static final AtomicInteger MADE = new AtomicInteger();
        final Set<Thread> users = ConcurrentHashMap.newKeySet();
        final Thread creator = Thread.currentThread();
        volatile Thread closedOn;

        Recorder() {
            MADE.incrementAndGet();
        }

        @Override
        public void handle(dev.brigade.api.Request request, dev.brigade.api.Response response) {
            users.add(Thread.currentThread());
        }

        @Override
        public void close() {
            closedOn = Thread.currentThread();
        }
    }

    /** Runs {@code handler} as a job on {@code bridge}; the job records the instance it used through {@code seen}. */
    private static TestJob call(Bridge bridge, String host, Handler handler) {
        TestJob j = new TestJob(host, () -> handler.handle(null, null));
        bridge.dispatch(j);
        return j;
    }

    @Test
    void onLazyWorkersInstancesAreNeverShared() throws Exception {
        List<Recorder> made = new ArrayList<>();
        Handler h = PerThread.handler(() -> {
            Recorder r = new Recorder();
            synchronized (made) { // test bookkeeping only
                made.add(r);
            }
            return r;
        });
        LazyBridge bridge = Bridges.lazy(4, Duration.ofSeconds(30));
        bridge.serverInit();
        for (int round = 0; round < 20; round++) {
            CyclicBarrier together = new CyclicBarrier(4);
            List<TestJob> jobs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                TestJob j = new TestJob("p1.test", () -> {
                    together.await(5, TimeUnit.SECONDS);
                    h.handle(null, null);
                });
                jobs.add(j);
                bridge.dispatch(j);
            }
            for (TestJob j : jobs) {
                assertThat(j.awaitFinished(WAIT)).isTrue();
                assertThat(j.failure).isNull();
            }
        }
        assertThat(made).hasSize(4);
        for (Recorder r : made) {
            assertThat(r.users).hasSize(1).containsExactly(r.creator);
        }
        assertThat(bridge.shutdown(WAIT)).isTrue();
        for (Recorder r : made) {
            assertThat(r.closedOn).as("closed on its own thread at exit").isSameAs(r.creator);
        }
    }

    @Test
    void retiringDropsTheInstanceAndTheWorker() throws Exception {
        Handler retiring = PerThread.handler(() -> (req, res) -> PerThread.retire());
        PerThread<Recorder> state = PerThread.of(Recorder::new);
        LazyBridge bridge = Bridges.lazy(2, Duration.ofSeconds(30));
        bridge.serverInit();
        TestJob first = new TestJob("p2.test", () -> {
            state.get().handle(null, null);
            retiring.handle(null, null);
        });
        bridge.dispatch(first);
        assertThat(first.awaitFinished(WAIT)).isTrue();
        assertThat(first.ranOn.join(WAIT)).as("the retired worker ends").isTrue();
        TestJob second = new TestJob("p2.test", () -> state.get().handle(null, null));
        bridge.dispatch(second);
        assertThat(second.awaitFinished(WAIT)).isTrue();
        assertThat(second.ranOn).isNotSameAs(first.ranOn);
        assertThat(bridge.shutdown(WAIT)).isTrue();
    }

    @Test
    void aBrokenInstanceRetiresItsWorker() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Handler h = PerThread.handler(() -> (req, res) -> {
            if (calls.incrementAndGet() == 1) {
                throw new PerThread.Broken("interpreter corrupted");
            }
        });
        PoolBridge bridge = Bridges.pool(1, 4);
        bridge.serverInit();
        TestJob broken = call(bridge, "p3.test", h);
        assertThat(broken.awaitFinished(WAIT)).isTrue();
        assertThat(broken.failure).isInstanceOf(PerThread.Broken.class);
        TestJob next = call(bridge, "p3.test", h);
        assertThat(next.awaitFinished(WAIT)).isTrue();
        assertThat(next.failure).isNull();
        assertThat(next.ranOn).isNotSameAs(broken.ranOn);
        assertThat(broken.ranOn.join(WAIT)).isTrue();
        assertThat(bridge.shutdown(WAIT)).isTrue();
    }

    @Test
    void aFailingFactoryRetiresItsWorker() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Handler h = PerThread.handler(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("cannot open the per-thread connection");
            }
            return (req, res) -> { };
        });
        LazyBridge bridge = Bridges.lazy(1, Duration.ofSeconds(30));
        bridge.serverInit();
        TestJob failed = call(bridge, "p4.test", h);
        assertThat(failed.awaitFinished(WAIT)).isTrue();
        assertThat(failed.failure).isInstanceOf(IllegalStateException.class);
        TestJob next = call(bridge, "p4.test", h);
        assertThat(next.awaitFinished(WAIT)).isTrue();
        assertThat(next.failure).isNull();
        assertThat(next.ranOn).isNotSameAs(failed.ranOn);
        assertThat(bridge.shutdown(WAIT)).isTrue();
    }

    @Test
    void inlineKeepsOneInstancePerLoopThreadUntilARetire() throws Exception {
        PerThread<Recorder> state = PerThread.of(Recorder::new);
        InlineBridge bridge = new InlineBridge();
        bridge.serverInit();
        Recorder[] seen = new Recorder[4];
        Thread loop = Thread.ofPlatform().start(() -> {
            bridge.dispatch(new TestJob(() -> seen[0] = state.get()));
            bridge.dispatch(new TestJob(() -> seen[1] = state.get()));
            bridge.dispatch(new TestJob(() -> {
                seen[2] = state.get();
                PerThread.retire();
            }));
            bridge.dispatch(new TestJob(() -> seen[3] = state.get()));
        });
        loop.join();
        assertThat(seen[1]).isSameAs(seen[0]);
        assertThat(seen[2]).isSameAs(seen[0]);
        assertThat(seen[0].closedOn).isSameAs(loop);
        assertThat(seen[3]).isNotSameAs(seen[0]);
        Recorder[] other = new Recorder[1];
        Thread.ofPlatform().start(() -> bridge.dispatch(new TestJob(() -> other[0] = state.get()))).join();
        assertThat(other[0]).isNotSameAs(seen[3]);
    }

    @Test
    void virtualThreadsGetAFreshInstancePerJobClosedAfterIt() throws Exception {
        PerThread<Recorder> state = PerThread.of(Recorder::new);
        VirtualThreadBridge bridge = Bridges.virtualThreads();
        bridge.serverInit();
        Recorder[] seen = new Recorder[2];
        TestJob a = new TestJob(() -> seen[0] = state.get());
        bridge.dispatch(a);
        assertThat(a.awaitFinished(WAIT)).isTrue();
        TestJob b = new TestJob(() -> seen[1] = state.get());
        bridge.dispatch(b);
        assertThat(b.awaitFinished(WAIT)).isTrue();
        assertThat(bridge.shutdown(WAIT)).isTrue();
        assertThat(seen[1]).isNotSameAs(seen[0]);
        assertThat(seen[0].closedOn).isSameAs(a.ranOn);
    }
}
