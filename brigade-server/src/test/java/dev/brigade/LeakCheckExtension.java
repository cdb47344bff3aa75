package dev.brigade;

import static org.assertj.core.api.Assertions.fail;

import dev.brigade.buffer.LeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test class (META-INF/services, autodetection on): after each class, runs
 * the garbage collector and fails the class if any buffer was collected without its final
 * release, or any file channel the server opened was collected unclosed, printing where each was
 * allocated or opened. Tests run with {@code brigade.leakDetection=paranoid}.
 * Each buffer (channel) remembers the class it was allocated (opened) during, and a class waits (a
 * little) until the buffers and channels it made are released or found leaked, so a leak is blamed on the class that made it,
 * the last class included.
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterAllCallback {

    /** How long a class waits for its buffers: those held past it (a static cache) only cost this wait. */
    private static final long SETTLE_NANOS = 1_000_000_000L;

    @Override
    public void beforeAll(ExtensionContext context) {
        LeakDetector.scope(context.getRequiredTestClass().getName());
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        String scope = context.getRequiredTestClass().getName();
        if (context.getRequiredTestClass().isAnnotationPresent(ExpectsLeaks.class)) {
            return;
        }
        long deadline = System.nanoTime() + SETTLE_NANOS;
        while (LeakDetector.unreleased(scope) > 0 && System.nanoTime() < deadline) {
            System.gc(); // a leaked buffer is found when collected; a released one is already counted
            Thread.sleep(20);
        }
        List<String> leaks = collectLeaks();
        if (!leaks.isEmpty()) {
            fail(leaks.size() + " buffer(s) or file channel(s) leaked in " + context.getDisplayName() + ":\n" + String.join("\n\n", leaks));
        }
    }

    /** Runs the collector until the cleaner has had a chance to report, and returns what it found. */
    public static List<String> collectLeaks() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return LeakDetector.drainLeaks();
    }

    /** Marks a test class that leaks on purpose and checks the detector itself. */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)
    public @interface ExpectsLeaks {
    }
}
