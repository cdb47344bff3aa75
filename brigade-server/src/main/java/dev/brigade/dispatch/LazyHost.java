package dev.brigade.dispatch;

import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One virtual host's share of a {@link LazyBridge}: Rivet's {@code vhost} descriptor
 * ({@code threads_count, mutex, LIFO array}) plus a bounded backlog. Everything mutable is guarded
 * by {@link #lock}, which is only ever held for a few field updates (and, rarely, a thread start).
 */
final class LazyHost {

    final String name;       // immutable: the key in the bridge's map
    final String threadTag;  // immutable: the name made safe for thread names
    final ReentrantLock lock = new ReentrantLock();
    final ArrayDeque<LazyWorker> idle = new ArrayDeque<>(); // guarded by lock: LIFO, head = most recently idle
    final ArrayDeque<Job> backlog = new ArrayDeque<>();      // guarded by lock: accepted while every worker is busy
    int threads;        // guarded by lock: workers alive (running, idle, or starting)
    long rejected;      // guarded by lock
    long completed;     // guarded by lock
    boolean removed;    // guarded by lock: no worker, no job, dropped from the map; dispatch retries with a new host

    LazyHost(String name) {
        this.name = name;
        this.threadTag = tag(name);
    }

    /** Host names come from clients: keep letters, digits and {@code .-_:[]}, at most 64 chars. */
    private static String tag(String name) {
        StringBuilder sb = new StringBuilder(Math.min(64, name.length()));
        for (int i = 0; i < name.length() && sb.length() < 64; i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '_' || c == ':' || c == '[' || c == ']';
            sb.append(ok ? c : '_');
        }
        return sb.toString();
    }

    BridgeStats stats() {
        lock.lock();
        try {
            return new BridgeStats(threads, threads - idle.size(), idle.size(), backlog.size(), rejected, completed);
        } finally {
            lock.unlock();
        }
    }
}
