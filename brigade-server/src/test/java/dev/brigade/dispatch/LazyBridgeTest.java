package dev.brigade.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LazyBridgeTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private LazyBridge bridge;

    @AfterEach
    void shutdown() {
        if (bridge != null) {
            assertThat(bridge.shutdown(WAIT)).isTrue();
            assertThat(bridge.stats().threads()).isZero();
        }
    }

    private LazyBridge start(LazyBridge b) {
        bridge = b;
        b.serverInit();
        return b;
    }

    @Test
    void noThreadBeforeTheFirstJobThenOnePerConcurrentJob() throws Exception {
        start(Bridges.lazy(8, Duration.ofSeconds(30)));
        assertThat(TestJob.threadsNamed("brigade-lazy-u1.test-")).isZero();
        assertThat(bridge.stats().threads()).isZero();
        int n = 5;
        CyclicBarrier together = new CyclicBarrier(n);
        List<TestJob> jobs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TestJob j = new TestJob("u1.test", () -> together.await(5, TimeUnit.SECONDS));
            jobs.add(j);
            bridge.dispatch(j);
        }
        for (TestJob j : jobs) {
            assertThat(j.awaitFinished(WAIT)).isTrue();
            assertThat(j.failure).isNull();
            assertThat(j.ranOn.getName()).startsWith("brigade-lazy-u1.test-");
        }
        assertThat(jobs.stream().map(j -> j.ranOn).distinct()).hasSize(n);
        assertThat(TestJob.threadsNamed("brigade-lazy-u1.test-")).isEqualTo(n);
        assertThat(TestJob.eventually(WAIT, () -> bridge.stats().idle() == n)).isTrue();
        assertThat(bridge.hostStats().get("u1.test").threads()).isEqualTo(n);
    }

    @Test
    void sequentialJobsReuseTheMostRecentlyIdleWorker() throws Exception {
        start(Bridges.lazy(4, Duration.ofSeconds(30)));
        CountDownLatch gate = new CountDownLatch(1);
        TestJob a = new TestJob("u2.test", () -> gate.await(5, TimeUnit.SECONDS));
        TestJob b = new TestJob("u2.test", () -> { });
        bridge.dispatch(a);
        bridge.dispatch(b);
        assertThat(b.awaitFinished(WAIT)).isTrue(); // b's worker idles first, a's later: a's is on top
        assertThat(TestJob.eventually(WAIT, () -> bridge.stats().idle() == 1)).isTrue();
        gate.countDown();
        assertThat(a.awaitFinished(WAIT)).isTrue();
        assertThat(TestJob.eventually(WAIT, () -> bridge.stats().idle() == 2)).isTrue();
        for (int i = 0; i < 10; i++) {
            TestJob next = new TestJob("u2.test", () -> { });
            bridge.dispatch(next);
            assertThat(next.awaitFinished(WAIT)).isTrue();
            assertThat(next.ranOn).as("LIFO: the last worker to go idle").isSameAs(a.ranOn);
            assertThat(TestJob.eventually(WAIT, () -> bridge.stats().idle() == 2)).isTrue();
        }
    }

    @Test
    void capThenBacklogThenReject() throws Exception {
        start(Bridges.lazy(2, Duration.ofSeconds(30), 1));
        CountDownLatch gate = new CountDownLatch(1);
        List<TestJob> jobs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            TestJob j = new TestJob("u3.test", () -> gate.await(5, TimeUnit.SECONDS));
            jobs.add(j);
            bridge.dispatch(j);
        }
        assertThat(jobs.get(3).rejects.get()).isEqualTo(1);
        assertThat(jobs.get(3).rejectedOn).isSameAs(Thread.currentThread());
        assertThat(bridge.stats().queued()).isEqualTo(1);
        assertThat(bridge.stats().threads()).isEqualTo(2);
        TestJob other = new TestJob("u3b.test", () -> { }); // another host: not limited by this one's cap
        bridge.dispatch(other);
        assertThat(other.awaitFinished(WAIT)).isTrue();
        gate.countDown();
        for (int i = 0; i < 3; i++) {
            assertThat(jobs.get(i).awaitFinished(WAIT)).isTrue();
        }
        assertThat(bridge.hostStats().get("u3.test").rejected()).isEqualTo(1);
    }

    @Test
    void atTheBridgeWideCapAHostWithoutWorkersIsShedNotStranded() throws Exception {
        start(Bridges.lazy(2, Duration.ofSeconds(30), 5, 1));
        CountDownLatch gate = new CountDownLatch(1);
        TestJob a = new TestJob("u7.test", () -> gate.await(5, TimeUnit.SECONDS));
        TestJob a2 = new TestJob("u7.test", () -> { });
        TestJob b = new TestJob("u7b.test", () -> { });
        bridge.dispatch(a);
        bridge.dispatch(a2); // queued behind u7's worker
        bridge.dispatch(b);  // no thread left for u7b and no worker of its own: 503 now
        assertThat(b.rejects.get()).isEqualTo(1);
        assertThat(a2.rejects.get()).isZero();
        assertThat(bridge.idleWorkers()).isZero();
        assertThat(bridge.saturated()).isTrue();
        gate.countDown();
        assertThat(a2.awaitFinished(WAIT)).isTrue();
        assertThat(a2.ranOn).isSameAs(a.ranOn);
    }

    @Test
    void idleWorkersAreReapedAndTheHostForgotten() throws Exception {
        start(Bridges.lazy(4, Duration.ofMillis(200)));
        CyclicBarrier together = new CyclicBarrier(3);
        List<TestJob> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TestJob j = new TestJob("u4.test", () -> together.await(5, TimeUnit.SECONDS));
            jobs.add(j);
            bridge.dispatch(j);
        }
        for (TestJob j : jobs) {
            assertThat(j.awaitFinished(WAIT)).isTrue();
        }
        assertThat(TestJob.eventually(WAIT, () -> bridge.stats().threads() == 0)).isTrue();
        for (TestJob j : jobs) {
            assertThat(j.ranOn.join(WAIT)).isTrue();
        }
        assertThat(bridge.hostStats()).doesNotContainKey("u4.test");
        TestJob again = new TestJob("u4.test", () -> { });
        bridge.dispatch(again);
        assertThat(again.awaitFinished(WAIT)).isTrue();
        assertThat(again.ranOn.getName()).startsWith("brigade-lazy-u4.test-");
    }

    /**
     * Rivet's bug: a worker that exits pushes itself back on the idle stack first, so a later job can
     * be handed to a dead thread and never run. Here many jobs retire their worker at random while
     * others arrive concurrently: every job must run exactly once, none on a thread that retired before.
     */
    @Test
    void noJobIsEverHandedToARetiredWorker() throws Exception {
        start(Bridges.lazy(4, Duration.ofMillis(50), 10_000));
        Set<Thread> retired = ConcurrentHashMap.newKeySet();
        List<TestJob> jobs = new ArrayList<>();
        List<Thread> feeders = new ArrayList<>();
        for (int f = 0; f < 4; f++) {
            List<TestJob> mine = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                boolean retire = ThreadLocalRandom.current().nextInt(4) == 0;
                mine.add(new TestJob("u5.test", () -> {
                    assertThat(retired).doesNotContain(Thread.currentThread());
                    if (retire) {
                        retired.add(Thread.currentThread());
                        PerThread.retire();
                    }
                }));
            }
            jobs.addAll(mine);
            feeders.add(Thread.ofPlatform().start(() -> {
                for (TestJob j : mine) {
                    bridge.dispatch(j);
                    if (ThreadLocalRandom.current().nextInt(50) == 0) {
                        try {
                            Thread.sleep(60); // let idle workers be reaped meanwhile too
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }));
        }
        for (Thread t : feeders) {
            t.join();
        }
        Set<Thread> used = new HashSet<>();
        for (TestJob j : jobs) {
            assertThat(j.awaitFinished(WAIT)).as("a job never ran: handed to a dead worker?").isTrue();
            assertThat(j.failure).isNull();
            assertThat(j.runs.get() + j.rejects.get()).isEqualTo(1);
            used.add(j.ranOn);
        }
        assertThat(retired).isNotEmpty();
        for (Thread t : retired) {
            assertThat(t.join(WAIT)).isTrue();
        }
        assertThat(used.size()).isGreaterThan(retired.size());
    }

    @Test
    void aJobThatThrowsRetiresItsWorkerWithoutLosingQueuedJobs() throws Exception {
        start(Bridges.lazy(1, Duration.ofSeconds(30), 10));
        Job bad = new Job() {
            @Override
            public void run() {
                throw new IllegalStateException("breaks the contract");
            }

            @Override
            public void reject() {
            }

            @Override
            public String hostName() {
                return "u6.test";
            }
        };
        bridge.dispatch(bad);
        List<TestJob> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TestJob j = new TestJob("u6.test", () -> { });
            queued.add(j);
            bridge.dispatch(j);
        }
        for (TestJob j : queued) {
            assertThat(j.awaitFinished(WAIT)).isTrue();
        }
    }
}
