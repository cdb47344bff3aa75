package dev.brigade.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class VirtualThreadBridgeTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void eachJobRunsOnItsOwnNamedVirtualThread() throws Exception {
        VirtualThreadBridge bridge = Bridges.virtualThreads();
        bridge.serverInit();
        List<TestJob> jobs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            TestJob j = TestJob.sleeping(Duration.ofMillis(20));
            jobs.add(j);
            bridge.dispatch(j);
        }
        for (TestJob j : jobs) {
            assertThat(j.awaitFinished(WAIT)).isTrue();
            assertThat(j.ranOn.isVirtual()).isTrue();
            assertThat(j.ranOn.getName()).startsWith("brigade-vt-");
        }
        assertThat(jobs.stream().map(j -> j.ranOn).distinct()).hasSize(100);
        assertThat(bridge.idleWorkers()).isEqualTo(Integer.MAX_VALUE);
        assertThat(bridge.saturated()).isFalse();
        assertThat(bridge.shutdown(WAIT)).isTrue();
        assertThat(bridge.stats().completed()).isEqualTo(100);
    }

    @Test
    void aLimitShedsTheJobsBeyondIt() throws Exception {
        VirtualThreadBridge bridge = Bridges.virtualThreads(2);
        bridge.serverInit();
        CountDownLatch gate = new CountDownLatch(1);
        TestJob a = TestJob.gated(gate);
        TestJob b = TestJob.gated(gate);
        TestJob c = TestJob.gated(gate);
        bridge.dispatch(a);
        bridge.dispatch(b);
        bridge.dispatch(c);
        assertThat(c.rejects.get()).isEqualTo(1);
        assertThat(c.rejectedOn).isSameAs(Thread.currentThread());
        assertThat(bridge.saturated()).isTrue();
        assertThat(bridge.idleWorkers()).isZero();
        gate.countDown();
        assertThat(a.awaitFinished(WAIT) && b.awaitFinished(WAIT)).isTrue();
        assertThat(TestJob.eventually(WAIT, () -> bridge.idleWorkers() == 2)).isTrue();
        TestJob d = TestJob.noop();
        bridge.dispatch(d);
        assertThat(d.awaitFinished(WAIT)).isTrue();
        assertThat(bridge.shutdown(WAIT)).isTrue();
        assertThat(bridge.stats().rejected()).isEqualTo(1);
    }
}
