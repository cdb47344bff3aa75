package dev.brigade.conn;

import dev.brigade.buffer.BufferPool;
import dev.brigade.loop.EventLoop;
import dev.brigade.loop.TimeoutQueue;
import java.time.Duration;

/**
 * What the connections of one loop share: the loop, its read-buffer pool and one timeout queue per
 * distinct timeout. Created on the loop thread or before it starts; used on it only.
 */
public final class LoopContext {

    /** How often a connection whose deadline grew with received bytes is checked again. */
    static final Duration RECHECK_INTERVAL = Duration.ofMillis(250);

    final EventLoop loop;
    final ServerContext server;
    final BufferPool readBuffers;
    final TimeoutQueue headerQueue;
    final TimeoutQueue bodyQueue;
    final TimeoutQueue recheckQueue;
    final TimeoutQueue keepAliveQueue;
    final TimeoutQueue writeQueue;
    final TimeoutQueue lingerQueue;
    final TimeoutQueue shortLingerQueue;
    /** This loop's counters: written by its connections on the loop thread, read by snapshots. */
    final LoopStats stats = new LoopStats();
    /** Scratch for the network filters' gathering writes; one per loop, used within one call. */
    final java.nio.ByteBuffer[] gatherScratch = dev.brigade.filter.NetworkFilter.newGatherScratch();
    /** Scratch where small pieces are coalesced into one write; one per loop, used within one call. */
    final java.nio.ByteBuffer coalesceScratch = dev.brigade.filter.NetworkFilter.newCoalesceScratch();
    /** Memory of encoded response heads until they leave: 256 B to 8 KiB classes, loop thread only. */
    final dev.brigade.buffer.SizeClassPools headBuffers = new dev.brigade.buffer.SizeClassPools(256, 8192, 256);
    /** Encodes response heads; one per loop, used within one call. */
    final dev.brigade.http1.ResponseHeadWriter headWriter = new dev.brigade.http1.ResponseHeadWriter();
    /** Parsers of connections not reading a head right now: an idle connection holds none. */
    private final java.util.ArrayDeque<dev.brigade.http1.RequestParser> parsers = new java.util.ArrayDeque<>();

    dev.brigade.http1.RequestParser acquireParser() {
        dev.brigade.http1.RequestParser p = parsers.pollFirst();
        return p != null ? p : new dev.brigade.http1.RequestParser(server.config().limits());
    }

    void releaseParser(dev.brigade.http1.RequestParser p) {
        p.reset();
        if (parsers.size() < 256) {
            parsers.addFirst(p);
        }
    }

    /** Where lingering connections' input is read and dropped; one per loop, used within one call. */
    final java.nio.ByteBuffer lingerBuffer = java.nio.ByteBuffer.allocateDirect(32 * 1024);

    public LoopContext(EventLoop loop, ServerContext server) {
        this.loop = loop;
        this.server = server;
        ConnectionConfig c = server.config();
        this.readBuffers = new BufferPool(c.readBufferBytes(), 1024);
        this.headerQueue = loop.timeoutQueue("header", c.headerTimeout());
        this.bodyQueue = loop.timeoutQueue("body", c.bodyTimeout());
        this.recheckQueue = loop.timeoutQueue("recheck", RECHECK_INTERVAL);
        this.keepAliveQueue = loop.timeoutQueue("keepalive", c.keepAliveTimeout());
        this.writeQueue = loop.timeoutQueue("write", c.writeTimeout());
        this.lingerQueue = loop.timeoutQueue("linger", c.lingerTimeout());
        this.shortLingerQueue = loop.timeoutQueue("short-linger", c.shortLingerTimeout());
    }

    public EventLoop loop() {
        return loop;
    }

    public BufferPool readBuffers() {
        return readBuffers;
    }

    public LoopStats stats() {
        return stats;
    }
}
