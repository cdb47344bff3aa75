package dev.brigade.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.LeakCheckExtension;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A deliberately leaking test, kept as the test of the leak detector itself. */
@LeakCheckExtension.ExpectsLeaks
class LeakDetectorTest {

    @Test
    void aBufferCollectedWithoutReleaseIsReportedWithItsAllocationSite() throws InterruptedException {
        assertThat(LeakDetector.mode()).as("the suite runs with -Dbrigade.leakDetection=paranoid")
                .isEqualTo(LeakDetector.Mode.PARANOID);
        LeakCheckExtension.collectLeaks(); // start clean
        leakOneBuffer();
        List<String> leaks = LeakCheckExtension.collectLeaks();
        assertThat(leaks).hasSize(1);
        assertThat(leaks.getFirst()).contains("leakOneBuffer");
    }

    @Test
    void aReleasedBufferIsNotReported() throws InterruptedException {
        LeakCheckExtension.collectLeaks();
        new BufferPool(256, 0).acquire().release();
        assertThat(LeakCheckExtension.collectLeaks()).isEmpty();
    }

    @Test
    void aLeakIsBlamedOnTheScopeThatAllocatedItAndCountedUntilFound() throws InterruptedException {
        LeakCheckExtension.collectLeaks();
        LeakDetector.scope("dev.example.FirstClass");
        leakOneBuffer();
        RefBuf kept = new BufferPool(256, 0).acquire();
        assertThat(LeakDetector.unreleased("dev.example.FirstClass")).isEqualTo(2);
        LeakDetector.scope("dev.example.SecondClass"); // the collector finds the leak while another class runs
        List<String> leaks = LeakCheckExtension.collectLeaks();
        assertThat(leaks).singleElement().asString().contains("allocated during dev.example.FirstClass");
        assertThat(LeakDetector.unreleased("dev.example.FirstClass")).as("the kept one").isEqualTo(1);
        kept.release();
        assertThat(LeakDetector.unreleased("dev.example.FirstClass")).isZero();
        LeakDetector.scope(LeakDetectorTest.class.getName());
    }

    private static void leakOneBuffer() {
        new BufferPool(256, 0).acquire(); // never released: this is the leak
    }
}
