package dev.brigade.filter;

import dev.brigade.buffer.RefBuf;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.function.Consumer;

/**
 * One piece of a response on its way to the socket. A bucket is owned by whichever filter holds
 * it; whoever consumes it (the network filter after writing it, or a filter dropping it) calls
 * {@link #complete} exactly once, which releases what it holds.
 */
public sealed interface Bucket {

    /** Bytes still to be written, counted against the set-aside bound. Zero for metadata and files. */
    long memoryBytes();

    /** Ends this bucket's life: releases its buffer or runs its callback. Called exactly once. */
    void complete(WriteOutcome outcome);

    /** In-memory bytes: a plain buffer, or a slice of a reference-counted one whose reference this bucket owns. */
    final class Bytes implements Bucket {
        private final ByteBuffer data;
        private final RefBuf owner;
        private final Runnable onComplete;
        private final int startPosition;
        private boolean completed;

        /** Bytes with no pooled memory behind them (heap arrays, constants). */
        public Bytes(ByteBuffer data) {
            this(data, null, null);
        }

        /** Takes over one reference of {@code owner}, released when this bucket completes. */
        public Bytes(ByteBuffer data, RefBuf owner) {
            this(data, owner, null);
        }

        /**
         * @param owner a reference this bucket takes over and releases when it completes, or null
         * @param onComplete run once when the bucket completes, however it ends (flow control), or null
         */
        public Bytes(ByteBuffer data, RefBuf owner, Runnable onComplete) {
            this.data = data;
            this.owner = owner;
            this.onComplete = onComplete;
            this.startPosition = data.position();
        }

        /** Whether some but maybe not all of it was written: it can no longer be withdrawn. */
        public boolean started() {
            return data.position() != startPosition;
        }

        public static Bytes of(byte[] bytes) {
            return new Bytes(ByteBuffer.wrap(bytes));
        }

        /** The unwritten remainder: position advances as the network filter writes. */
        public ByteBuffer data() {
            return data;
        }

        @Override
        public long memoryBytes() {
            return data.remaining();
        }

        @Override
        public void complete(WriteOutcome outcome) {
            if (completed) {
                throw new IllegalStateException("bucket completed twice");
            }
            completed = true;
            if (owner != null) {
                owner.release();
            }
            if (onComplete != null) {
                onComplete.run();
            }
        }
    }

    /** A region of a file, sent with {@code transferTo} (sendfile); the channel is not closed by the bucket. */
    final class FileRegion implements Bucket {
        private final FileChannel file;
        private long position;
        private long remaining;
        private final long length;
        private final Runnable onComplete;

        public FileRegion(FileChannel file, long position, long length, Runnable onComplete) {
            this.file = file;
            this.position = position;
            this.remaining = length;
            this.length = length;
            this.onComplete = onComplete;
        }

        /** Whether some of it was sent already. */
        public boolean started() {
            return remaining != length;
        }

        public FileChannel file() {
            return file;
        }

        public long position() {
            return position;
        }

        public long remaining() {
            return remaining;
        }

        /** Records that {@code n} bytes were sent. */
        public void advance(long n) {
            position += n;
            remaining -= n;
        }

        @Override
        public long memoryBytes() {
            return 0;
        }

        @Override
        public void complete(WriteOutcome outcome) {
            if (onComplete != null) {
                onComplete.run();
            }
        }
    }

    /** Asks the network filter to write everything before it now. */
    enum Flush implements Bucket {
        INSTANCE;

        @Override
        public long memoryBytes() {
            return 0;
        }

        @Override
        public void complete(WriteOutcome outcome) {
        }
    }

    /** End of one response body: request-level filters finish (last chunk, gzip trailer) when they see it. */
    enum Eos implements Bucket {
        INSTANCE;

        @Override
        public long memoryBytes() {
            return 0;
        }

        @Override
        public void complete(WriteOutcome outcome) {
        }
    }

    /**
     * End of request (httpd's EOR bucket): completes when every byte before it was written, or
     * when the connection closes first, so the access log sees the real outcome and byte count.
     */
    final class EndOfRequest implements Bucket {
        private final Consumer<WriteOutcome> onDone;
        private boolean completed;
        private long endOffset = -1;

        public EndOfRequest(Consumer<WriteOutcome> onDone) {
            this.onDone = onDone;
        }

        /** The connection's output offset just after the response this bucket ends, or -1 if not yet known. */
        public long endOffset() {
            return endOffset;
        }

        void markEnd(long offset) {
            endOffset = offset;
        }

        @Override
        public long memoryBytes() {
            return 0;
        }

        @Override
        public void complete(WriteOutcome outcome) {
            if (completed) {
                throw new IllegalStateException("end-of-request completed twice");
            }
            completed = true;
            onDone.accept(outcome);
        }
    }
}
