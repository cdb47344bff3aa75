package dev.brigade.filter;

import java.io.IOException;

/**
 * A stage of the output chain (httpd's output filter). It receives a brigade, transforms it and
 * passes the result to {@link #passNext}. Only the last filter, {@link NetworkFilter}, touches the
 * socket.
 *
 * <p>The async contract (seed 000): a filter that would otherwise pile data on a downstream filter
 * that is already holding some checks {@link #shouldYield()}, and if so sets its input aside with
 * {@link #setaside} and returns. On its next call, which may be an empty "kick" from the loop
 * during write completion, it first {@link #reinstate}s what it kept. A filter that ignores all
 * three calls works unchanged: it just never yields.
 *
 * <p>Loop thread only. A filter owns the buckets it is given until it passes or completes them.
 */
public abstract class OutputFilter {

    private final String name;
    OutputFilter next;
    FilterChain chain;
    private Brigade aside; // created on first use: most filters of idle connections hold nothing

    protected OutputFilter(String name) {
        this.name = name;
    }

    /** Processes {@code in}, taking ownership of its buckets; {@code in} may be empty (a kick). */
    public abstract void write(Brigade in) throws IOException;

    /** Hands a brigade to the next filter. */
    protected final void passNext(Brigade out) throws IOException {
        next.write(out);
    }

    /** Keeps the buckets of {@code bb} for a later call, and registers this filter as pending. */
    protected final void setaside(Brigade bb) {
        if (!bb.isEmpty()) {
            asideBrigade().takeAll(bb);
        }
    }

    /** Puts what was set aside back in front of {@code in}, before any new data. */
    protected final void reinstate(Brigade in) {
        if (aside != null && !aside.isEmpty()) {
            in.prependAll(aside);
        }
    }

    /** True when a filter after this one is backed up: pushing more now only adds memory. */
    protected final boolean shouldYield() {
        for (OutputFilter f = next; f != null; f = f.next) {
            if (f.backedUp()) {
                return true;
            }
        }
        return chain != null && chain.heldBelow(this) >= chain.highWater(); // the connection's budget
    }

    /**
     * Whether this filter holds data it could not pass on, so that filters before it should yield.
     * By default any set-aside data counts; the network filter counts only what the socket refused,
     * not what it gathers for one write.
     */
    protected boolean backedUp() {
        return hasSetAside();
    }

    /** Whether this filter keeps data for later, so the loop must kick it. */
    public boolean hasSetAside() {
        return aside != null && !aside.isEmpty();
    }

    /** In-memory bytes this filter keeps. */
    public long setAsideMemoryBytes() {
        return aside == null ? 0 : aside.memoryBytes();
    }

    /** Called when the filter leaves the chain or the connection closes: completes what it kept. */
    protected void discard(WriteOutcome outcome) {
        if (aside != null) {
            aside.completeAll(outcome);
        }
    }

    /** Drops the empty set-aside brigade of an idle connection, so that it holds no more than it must. */
    final void trim() {
        if (aside != null && aside.isEmpty()) {
            aside = null;
        }
    }

    /**
     * Whether this filter belongs to the connection (TLS, rate limits) rather than to one response:
     * connection-level filters stay in the chain across responses and see response heads too.
     */
    public boolean connectionLevel() {
        return false;
    }

    /**
     * Whether the data this filter holds waits for a timer it set ({@link FilterContext#kickAfter}),
     * not for the socket: the connection then does not poll for writability on its account.
     */
    protected boolean waitsForTimer() {
        return false;
    }

    /** The connection this filter's chain serves. */
    protected final FilterContext context() {
        return chain.context();
    }

    /**
     * The connection is about to shut down its output cleanly (after its last response left): a
     * connection-level filter may pass a last brigade down (TLS's {@code close_notify}).
     */
    protected void closeOutbound() throws IOException {
    }

    /** Called when a response's EOS passed this filter and it is removed from the chain. */
    protected void onRemoved() {
    }

    final Brigade asideBrigade() {
        if (aside == null) {
            aside = new Brigade();
        }
        return aside;
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
