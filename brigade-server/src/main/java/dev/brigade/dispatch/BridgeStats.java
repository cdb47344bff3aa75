package dev.brigade.dispatch;

/**
 * A snapshot of a bridge's counters.
 *
 * @param threads   threads the bridge owns now (or, for virtual threads, jobs running)
 * @param busy      threads running a job
 * @param idle      threads waiting for a job (for a limited virtual-thread bridge: free permits)
 * @param queued    jobs in a backlog, waiting for a worker to become free
 * @param rejected  jobs answered with {@link Job#reject()} since the bridge was made
 * @param completed jobs whose {@link Job#run()} returned since the bridge was made
 */
public record BridgeStats(int threads, int busy, int idle, int queued, long rejected, long completed) {
}
