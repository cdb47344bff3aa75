package dev.brigade.dispatch;

import java.util.concurrent.locks.Condition;

/**
 * One lazy worker: a platform thread serving one virtual host, with its own {@link PerThread}
 * context (Rivet's {@code lazy_tcl_worker} with its interpreter). Its cycle is Rivet's
 * {@code init → processing → done → idle}, and its exit is the one Rivet gets wrong:
 *
 * <ol>
 *   <li>Starts with the job that caused its creation; runs the thread-init hook first.</li>
 *   <li>After each job: asked to retire (or broken)? it exits. Otherwise it takes the host's oldest
 *       queued job, or pushes itself on the idle stack and waits for a hand-off.</li>
 *   <li>Idle past the idle timeout, or at shutdown, it removes itself from the stack <em>under the
 *       host lock, before ending</em>; a dispatcher pops only under that lock, so it can never pop a
 *       worker that is leaving, and a popped worker always finds its job.</li>
 *   <li>Leaving, it gives its place to a successor if jobs are queued (so none is stranded), then
 *       closes its per-thread instances and ends.</li>
 * </ol>
 */
final class LazyWorker implements Runnable {

    private static final System.Logger LOG = System.getLogger(LazyWorker.class.getName());

    private final LazyBridge bridge;
    private final LazyHost host;
    final Condition wake;        // of host.lock: signalled on a hand-off and at shutdown
    final Thread thread;         // immutable
    private Job first;           // set before start, then own thread only
    private Job handed;          // guarded by host.lock: the job a dispatcher gave this idle worker

    LazyWorker(LazyBridge bridge, LazyHost host, Job first, String name) {
        this.bridge = bridge;
        this.host = host;
        this.first = first;
        this.wake = host.lock.newCondition();
        this.thread = Thread.ofPlatform().daemon(true).name(name).unstarted(this);
    }

    /** Under host.lock, by a dispatcher that just popped this worker from the idle stack. */
    void hand(Job job) {
        handed = job;
        wake.signal();
    }

    @Override
    public void run() {
        Job job = first;
        first = null;
        try {
            Runnable hook = bridge.threadInit();
            if (hook != null) {
                InlineBridge.runHook(hook);
            }
            while (job != null) {
                job = next(runJob(job));
            }
        } finally {
            ThreadContext.end();
            bridge.live().remove(thread);
        }
    }

    /** Runs one job; true if this worker must retire now. */
    private boolean runJob(Job job) {
        Thread.interrupted(); // an interrupt left by the previous job is not this job's
        try {
            job.run();
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, () -> thread.getName() + ": a job threw out of run(); retiring", t);
            ThreadContext.end();
            return true;
        } finally {
            bridge.completedOne();
        }
        return ThreadContext.afterJob();
    }

    /** The next job, or null when this worker must end (it has then left the stack and the counts). */
    private Job next(boolean retiring) {
        host.lock.lock();
        try {
            host.completed++;
            if (!retiring && !bridge.closed()) {
                Job queued = host.backlog.pollFirst();
                if (queued != null) {
                    bridge.queuedChanged(-1);
                    return queued;
                }
                host.idle.addFirst(this);
                bridge.idleChanged(+1);
                long deadline = System.nanoTime() + bridge.idleNanos();
                while (handed == null) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || bridge.closed()) {
                        host.idle.removeLastOccurrence(this); // leave the stack before dying
                        bridge.idleChanged(-1);
                        break;
                    }
                    try {
                        wake.awaitNanos(left);
                    } catch (InterruptedException e) {
                        // not a reason to leave: only the idle timeout and shutdown are
                    }
                }
                if (handed != null) { // the dispatcher popped this worker (and counted it busy)
                    Job j = handed;
                    handed = null;
                    return j;
                }
            }
            bridge.leave(host);
            return null;
        } finally {
            host.lock.unlock();
        }
    }
}
