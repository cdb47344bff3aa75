package dev.brigade.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PoolBridgeTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private PoolBridge bridge;

    @AfterEach
    void shutdown() {
        if (bridge != null) {
            assertThat(bridge.shutdown(WAIT)).isTrue();
        }
    }

    @Test
    void startsItsThreadsInServerInitNamedWorkers() throws Exception {
        bridge = Bridges.pool(3, 4);
        assertThat(bridge.stats().threads()).isZero();
        assertThatThrownBy(() -> bridge.dispatch(TestJob.noop())).isInstanceOf(IllegalStateException.class);
        bridge.serverInit();
        assertThat(TestJob.eventually(WAIT, () -> bridge.idleWorkers() == 3)).isTrue();
        assertThat(bridge.stats()).isEqualTo(new BridgeStats(3, 0, 3, 0, 0, 0));
        TestJob job = TestJob.noop();
        bridge.dispatch(job);
        assertThat(job.awaitFinished(WAIT)).isTrue();
        assertThat(job.ranOn.getName()).startsWith("brigade-worker-");
        assertThat(job.ranOn.isVirtual()).isFalse();
        assertThatThrownBy(bridge::serverInit).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFullBacklogRejectsAtOnceOnTheCallingThread() throws Exception {
        bridge = Bridges.pool(1, 1);
        bridge.serverInit();
        TestJob.eventually(WAIT, () -> bridge.idleWorkers() == 1);
        CountDownLatch gate = new CountDownLatch(1);
        TestJob first = TestJob.gated(gate);
        TestJob second = TestJob.gated(gate);
        TestJob third = TestJob.gated(gate);
        bridge.dispatch(first);
        bridge.dispatch(second); // counted exactly, even before the worker took the first
        bridge.dispatch(third);
        // rejected before dispatch returned, on this thread, while both earlier jobs are still gated:
        // nothing waited for a worker
        assertThat(third.rejects.get()).isEqualTo(1);
        assertThat(third.rejectedOn).isSameAs(Thread.currentThread());
        assertThat(gate.getCount()).isEqualTo(1);
        assertThat(first.awaitStarted(WAIT)).isTrue();
        assertThat(bridge.saturated()).isTrue();
        assertThat(bridge.idleWorkers()).isZero();
        assertThat(bridge.stats().queued()).isEqualTo(1);
        gate.countDown();
        assertThat(first.awaitFinished(WAIT)).isTrue();
        assertThat(second.awaitFinished(WAIT)).isTrue();
        assertThat(first.rejects.get() + second.rejects.get()).isZero();
        assertThat(third.runs.get()).isZero();
        assertThat(TestJob.eventually(WAIT, () -> bridge.stats().completed() == 2)).isTrue();
        assertThat(bridge.stats().rejected()).isEqualTo(1);
        assertThat(bridge.saturated()).isFalse();
    }

    @Test
    void zeroBacklogHandsOnlyToIdleWorkers() throws Exception {
        bridge = Bridges.pool(2, 0);
        bridge.serverInit();
        TestJob.eventually(WAIT, () -> bridge.idleWorkers() == 2);
        CountDownLatch gate = new CountDownLatch(1);
        TestJob a = TestJob.gated(gate);
        TestJob b = TestJob.gated(gate);
        TestJob c = TestJob.gated(gate);
        bridge.dispatch(a);
        bridge.dispatch(b);
        bridge.dispatch(c);
        assertThat(c.rejects.get()).isEqualTo(1);
        assertThat(bridge.saturated()).isTrue();
        gate.countDown();
        assertThat(a.awaitFinished(WAIT) && b.awaitFinished(WAIT)).isTrue();
    }

    @Test
    void aWorkerWhoseJobThrowsIsReplaced() throws Exception {
        bridge = Bridges.pool(1, 4);
        bridge.serverInit();
        Job bad = new Job() {
            @Override
            public void run() {
                throw new IllegalStateException("a job that breaks its contract");
            }

            @Override
            public void reject() {
            }

            @Override
            public String hostName() {
                return "a.test";
            }
        };
        TestJob before = TestJob.noop();
        bridge.dispatch(before);
        assertThat(before.awaitFinished(WAIT)).isTrue();
        bridge.dispatch(bad);
        TestJob after = TestJob.noop();
        bridge.dispatch(after);
        assertThat(after.awaitFinished(WAIT)).isTrue();
        assertThat(after.ranOn).isNotSameAs(before.ranOn);
        assertThat(before.ranOn.join(WAIT)).isTrue();
        assertThat(TestJob.eventually(WAIT, () -> bridge.stats().threads() == 1 && bridge.idleWorkers() == 1)).isTrue();
    }

    @Test
    void aRetiredWorkerIsReplacedAndNeverRunsAnotherJob() throws Exception {
        bridge = Bridges.pool(1, 8);
        bridge.serverInit();
        TestJob retiring = new TestJob(PerThread::retire);
        bridge.dispatch(retiring);
        assertThat(retiring.awaitFinished(WAIT)).isTrue();
        for (int i = 0; i < 20; i++) {
            TestJob next = TestJob.noop();
            bridge.dispatch(next);
            assertThat(next.awaitFinished(WAIT)).isTrue();
            assertThat(next.ranOn).isNotSameAs(retiring.ranOn);
        }
        assertThat(retiring.ranOn.join(WAIT)).isTrue();
    }

    @Test
    void threadInitRunsOnEachWorkerBeforeItsFirstJob() throws Exception {
        java.util.Set<Thread> initialized = java.util.concurrent.ConcurrentHashMap.newKeySet();
        bridge = Bridges.pool(2, 4);
        bridge.onThreadInit(() -> initialized.add(Thread.currentThread()));
        bridge.serverInit();
        TestJob job = new TestJob(() -> assertThat(initialized).contains(Thread.currentThread()));
        bridge.dispatch(job);
        assertThat(job.awaitFinished(WAIT)).isTrue();
        assertThat(job.failure).isNull();
        assertThat(TestJob.eventually(WAIT, () -> initialized.size() == 2)).isTrue();
    }
}
