package dev.brigade.buffer;

import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reports buffers that were garbage collected without their final release, with the place they
 * were allocated, and file channels the server opened to send or cache a file that were collected
 * without being closed, with the place they were opened ({@link #trackChannel}).
 *
 * <p>Mode from the system property {@code brigade.leakDetection}: {@code off}, {@code sample}
 * (the default: one buffer or channel in 1,024 is tracked, so production pays almost nothing) or
 * {@code paranoid} (every one; the test suite runs this way and fails on any leak). An untracked
 * buffer or channel costs one mode check and no object.
 */
public final class LeakDetector {

    /** How many buffers are tracked. */
    public enum Mode { OFF, SAMPLE, PARANOID }

    private static final Cleaner CLEANER = Cleaner.create();
    private static final Mode MODE = parseMode(System.getProperty("brigade.leakDetection", "sample"));
    private static final int SAMPLE_ONE_IN = 1024; // at 128, the stack traces alone were ~1% of a plaintext request's CPU (perf)
    private static final List<String> LEAKS = new ArrayList<>(); // guarded by itself
    private static final AtomicLong LEAK_COUNT = new AtomicLong();
    /** Tracked buffers not yet released, by the scope they were allocated in. */
    private static final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.LongAdder> UNRELEASED =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static volatile String scope = "";

    private LeakDetector() {
    }

    /**
     * The allocation record of one tracked buffer or channel; the cleaning action must not reach
     * what it tracks (or that would never be collected).
     */
    public static final class Tracker implements Runnable {
        private final Throwable allocatedAt;
        private final String scope;
        private final String what;   // "buffer", "file channel for PATH"
        private final String verb;   // "allocated", "opened"
        private final String ending; // "release", "close"
        private final java.util.concurrent.atomic.LongAdder unreleased;
        private volatile boolean released;

        Tracker(Throwable allocatedAt, String scope) {
            this(allocatedAt, scope, "buffer", "allocated", "release");
        }

        private Tracker(Throwable allocatedAt, String scope, String what, String verb, String ending) {
            this.allocatedAt = allocatedAt;
            this.scope = scope;
            this.what = what;
            this.verb = verb;
            this.ending = ending;
            this.unreleased = UNRELEASED.computeIfAbsent(scope, k -> new java.util.concurrent.atomic.LongAdder());
            unreleased.increment();
        }

        void released() {
            released = true;
            unreleased.decrement();
        }

        @Override
        public void run() {
            if (!released) {
                LEAK_COUNT.incrementAndGet();
                unreleased.decrement();
                var trace = new StringBuilder(what).append(" collected without ").append(ending)
                        .append(scope.isEmpty() ? "" : " (" + verb + " during " + scope + ")")
                        .append(", ").append(verb).append(" at:");
                for (StackTraceElement e : allocatedAt.getStackTrace()) {
                    trace.append("\n\tat ").append(e);
                }
                synchronized (LEAKS) {
                    if (LEAKS.size() < 100) {
                        LEAKS.add(trace.toString());
                    }
                }
                System.getLogger(LeakDetector.class.getName()).log(System.Logger.Level.ERROR, trace.toString());
            }
        }
    }

    public static Mode mode() {
        return MODE;
    }

    /** A tracker for a new buffer, or null when this buffer is not tracked. */
    static Tracker track() {
        return tracked() ? new Tracker(new Throwable("allocation site"), scope) : null;
    }

    private static boolean tracked() {
        return switch (MODE) {
            case OFF -> false;
            case SAMPLE -> ThreadLocalRandom.current().nextInt(SAMPLE_ONE_IN) == 0;
            case PARANOID -> true;
        };
    }

    /**
     * Tracks a channel just opened on {@code file} (as buffers are, per the mode): if it is
     * collected while still open, that is reported with where it was opened. Returns its tracker,
     * or null when this channel is not tracked; close the channel with {@link #close(FileChannel,
     * Tracker)} so that the tracker learns it.
     */
    public static Tracker trackChannel(FileChannel channel, Path file) {
        if (!tracked()) {
            return null;
        }
        Tracker t = new Tracker(new Throwable("opening site"), scope, "file channel for " + file, "opened", "close");
        CLEANER.register(channel, t);
        return t;
    }

    /**
     * Closes a channel registered with {@link #trackChannel} (its tracker may be null) and marks
     * it closed; a read-only channel loses nothing on a failed close, so the failure is dropped.
     * Once per channel.
     */
    public static void close(FileChannel channel, Tracker tracker) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only: nothing lost
        }
        if (tracker != null) {
            tracker.released();
        }
    }

    /** Registers the buffer so that collecting it runs the tracker's check. */
    static void watch(Object buffer, Tracker tracker) {
        if (tracker != null) {
            CLEANER.register(buffer, tracker);
        }
    }

    /**
     * Names what runs from now on (a test class), so that a leak found later is blamed on the scope
     * that allocated the buffer, not on the one running when the collector found it.
     */
    public static void scope(String name) {
        scope = name;
    }

    /** Tracked buffers allocated during {@code scope} and neither released nor found leaked yet. */
    public static long unreleased(String scope) {
        var n = UNRELEASED.get(scope);
        return n == null ? 0 : n.sum();
    }

    /** Leaks found so far (allocation traces), oldest first, and forgets them. */
    public static List<String> drainLeaks() {
        synchronized (LEAKS) {
            var copy = List.copyOf(LEAKS);
            LEAKS.clear();
            return copy;
        }
    }

    /** How many leaks were found since start. */
    public static long leakCount() {
        return LEAK_COUNT.get();
    }

    private static Mode parseMode(String value) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "off", "false", "disabled" -> Mode.OFF;
            case "paranoid", "all", "true" -> Mode.PARANOID;
            default -> Mode.SAMPLE;
        };
    }
}
