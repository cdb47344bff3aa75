package dev.brigade.cli;

import static org.assertj.core.api.Assertions.fail;

import dev.brigade.buffer.LeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The server module's leak check for the CLI's tests, which run servers in this JVM (registered
 * for every class through META-INF/services; tests run with {@code brigade.leakDetection=paranoid}):
 * after each class, a buffer collected without its final release fails the class with where it
 * was allocated.
 */
public final class LeakCheckExtension implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50); // the cleaner reports on its own thread
        }
        List<String> leaks = LeakDetector.drainLeaks();
        if (!leaks.isEmpty()) {
            fail(leaks.size() + " buffer(s) leaked in " + context.getDisplayName() + ":\n" + String.join("\n\n", leaks));
        }
    }
}
