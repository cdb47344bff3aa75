package dev.brigade;

import static org.assertj.core.api.Assertions.fail;

import dev.brigade.buffer.LeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test class (META-INF/services, autodetection on): after each class, runs
 * the garbage collector and fails the class if any buffer was collected without its final
 * release, printing where each was allocated. Tests run with {@code brigade.leakDetection=paranoid}.
 */
public final class LeakCheckExtension implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        if (context.getRequiredTestClass().isAnnotationPresent(ExpectsLeaks.class)) {
            return;
        }
        List<String> leaks = collectLeaks();
        if (!leaks.isEmpty()) {
            fail(leaks.size() + " buffer(s) leaked in " + context.getDisplayName() + ":\n" + String.join("\n\n", leaks));
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
