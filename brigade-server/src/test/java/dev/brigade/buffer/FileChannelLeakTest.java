package dev.brigade.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.LeakCheckExtension;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A deliberately leaking test of the leak detector's file channels, as {@link LeakDetectorTest} is of buffers. */
@LeakCheckExtension.ExpectsLeaks
class FileChannelLeakTest {

    @TempDir
    Path dir;

    @Test
    void aChannelCollectedOpenIsReportedWithWhereItWasOpened() throws Exception {
        assertThat(LeakDetector.mode()).isEqualTo(LeakDetector.Mode.PARANOID);
        Path file = Files.writeString(dir.resolve("left-open.txt"), "never closed");
        LeakCheckExtension.collectLeaks(); // start clean
        leakOneChannel(file);
        assertThat(LeakDetector.unreleased(FileChannelLeakTest.class.getName())).isEqualTo(1);
        List<String> leaks = LeakCheckExtension.collectLeaks();
        assertThat(leaks).singleElement().asString()
                .contains("file channel for " + file + " collected without close")
                .contains("opened during " + FileChannelLeakTest.class.getName())
                .contains("leakOneChannel");
        assertThat(LeakDetector.unreleased(FileChannelLeakTest.class.getName())).as("found, so no longer waited for").isZero();
    }

    @Test
    void aClosedChannelIsNotReported() throws Exception {
        Path file = Files.writeString(dir.resolve("closed.txt"), "closed");
        LeakCheckExtension.collectLeaks();
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        LeakDetector.Tracker tracker = LeakDetector.trackChannel(ch, file);
        assertThat(LeakDetector.unreleased(FileChannelLeakTest.class.getName())).isEqualTo(1);
        LeakDetector.close(ch, tracker);
        assertThat(ch.isOpen()).isFalse();
        assertThat(LeakDetector.unreleased(FileChannelLeakTest.class.getName())).isZero();
        ch = null; // collectable now, and closed: nothing to report
        assertThat(LeakCheckExtension.collectLeaks()).isEmpty();
    }

    private static void leakOneChannel(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        LeakDetector.trackChannel(ch, file); // never closed: this is the leak
    }
}
