package dev.brigade.files;

import dev.brigade.api.Request;
import dev.brigade.api.Response;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where file-system work that can take long (stat'ing and opening a file the memory store does not
 * hold fresh, on a disk that may be slow; listing a directory of 50,000 entries) runs when its
 * handler was called on an event loop: a small bounded pool of daemon threads, as nginx's
 * {@code aio threads}. The loop goes on serving its other connections; the answer is sent from the
 * pool (a response may be sent from any thread once it is async). A full queue answers 503.
 *
 * <p>Two pools, so that short work never queues behind long work: file lookups (a stat, an open, a
 * small read) and directory listings (which can take hundreds of milliseconds each).
 */
final class OffLoop {

    /** Which pool: short lookups, or long listings. */
    enum Kind { LOOKUP, LISTING }

    /** Work that answers its request, possibly after blocking. */
    interface Work {
        void run(Request request, Response response) throws java.io.IOException;
    }

    private static final System.Logger LOG = System.getLogger(OffLoop.class.getName());
    private static final int THREADS = 2;
    private static final int QUEUE = 256;

    private static final ThreadPoolExecutor LOOKUPS = newPool("brigade-files-");
    private static final ThreadPoolExecutor LISTINGS = newPool("brigade-listing-");

    private OffLoop() {
    }

    private static ThreadPoolExecutor newPool(String threadPrefix) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), Thread.ofPlatform().name(threadPrefix, 0).daemon().factory());
        pool.allowCoreThreadTimeOut(true); // no threads at all while nobody lists directories
        return pool;
    }

    /** Runs {@code work} here if this thread may block, else on the pool. */
    static void run(Request request, Response response, Kind kind, Work work) throws java.io.IOException {
        if (request.blockingAllowed()) {
            work.run(request, response);
            return;
        }
        response.async();
        try {
            (kind == Kind.LISTING ? LISTINGS : LOOKUPS).execute(() -> {
                try {
                    work.run(request, response);
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.WARNING, () -> request.method() + " " + request.target()
                            + ": " + e.getMessage());
                    if (!response.committed()) {
                        response.status(500).contentType("text/plain; charset=utf-8").send("500 Internal Server Error\n");
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            response.status(503).header("Retry-After", "1").contentType("text/plain; charset=utf-8")
                    .send("503 Service Unavailable\n");
        }
    }
}
