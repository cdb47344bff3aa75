package dev.brigade.cli;

import static org.assertj.core.api.Assertions.fail;

import dev.brigade.buffer.LeakDetector;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The server module's leak check for the CLI's tests, which run servers in this JVM (registered
 * for every class through META-INF/services; tests run with {@code brigade.leakDetection=paranoid}):
 * after each class, a buffer collected without its final release fails the class with where it
 * was allocated, and during which class (a class waits up to a second for the buffers it allocated
 * to be released or found leaked, so the blame does not fall on the next class).
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        LeakDetector.scope(context.getRequiredTestClass().getName());
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        String scope = context.getRequiredTestClass().getName();
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (LeakDetector.unreleased(scope) > 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
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
