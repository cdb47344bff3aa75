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

    private static void leakOneBuffer() {
        new BufferPool(256, 0).acquire(); // never released: this is the leak
    }
}
