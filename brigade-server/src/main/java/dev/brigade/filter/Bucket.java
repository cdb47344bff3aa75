package dev.brigade.filter;

import dev.brigade.api.Headers;
import dev.brigade.api.Request;
import dev.brigade.api.Status;
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

    /**
     * Memory this bucket holds until it completes, counted against its connection's budget: a
     * buffer's capacity (not what is left to write, so the count does not drift as it is written),
     * a small fixed cost for a file region, nothing for metadata.
     */
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
            return data.capacity();
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

    /**
     * A response head on its way down, not yet serialized, so that filters edit it as it passes (as
     * nginx's header filters do): gzip sets {@code Content-Encoding}, {@code Vary} and the coded
     * validator; chunking sets the framing; a filter that changes the body's length drops the
     * length. The HTTP/1 encoder, the lowest request-level filter, turns it into bytes. It answers
     * {@link #request()} and holds no memory of its own. Loop thread only, like every bucket.
     */
    final class Head implements Bucket {
        private final Request request;
        private final Headers headers;
        private final byte[] rawFields;
        private int status;
        private long contentLength;
        private boolean chunked;
        private boolean keepAlive;

        /**
         * @param rawFields field lines already encoded (a cache hit's validators), or null
         * @param contentLength the body's length, or -1 when unknown (streamed, or coded on the fly)
         * @param keepAlive whether the connection may stay open after this response, as far as it knows
         */
        public Head(Request request, int status, Headers headers, byte[] rawFields, long contentLength,
                    boolean keepAlive) {
            this.request = request;
            this.status = status;
            this.headers = headers;
            this.rawFields = rawFields;
            this.contentLength = contentLength;
            this.keepAlive = keepAlive;
        }

        /** The request this head answers (its method, version and fields, for filters that negotiate). */
        public Request request() {
            return request;
        }

        public int status() {
            return status;
        }

        public void status(int code) {
            this.status = code;
        }

        /** The response's fields, editable until the encoder serializes them. */
        public Headers headers() {
            return headers;
        }

        public byte[] rawFields() {
            return rawFields;
        }

        /** The body's length as it will leave, or -1 if unknown. */
        public long contentLength() {
            return contentLength;
        }

        /** A filter that changes the body's length sets the new one, or -1 if it cannot know it. */
        public void contentLength(long length) {
            this.contentLength = length;
        }

        /** Whether the body leaves with chunked transfer coding (set by the chunking filter). */
        public boolean chunked() {
            return chunked;
        }

        public void chunked(boolean on) {
            this.chunked = on;
        }

        public boolean keepAlive() {
            return keepAlive;
        }

        /** Asks for the connection to close after this response (a filter that cannot frame the body). */
        public void keepAlive(boolean on) {
            this.keepAlive = on;
        }

        /** Whether no body follows on the wire: a 1xx, 204 or 304 status, or an answer to HEAD. */
        public boolean noBodyOnWire() {
            return Status.bodyless(status) || answersHead();
        }

        public boolean answersHead() {
            return request.method().equals("HEAD");
        }

        public boolean http11() {
            return request.protocol().equals("HTTP/1.1");
        }

        @Override
        public long memoryBytes() {
            return 0;
        }

        @Override
        public void complete(WriteOutcome outcome) {
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

        /** What a region holds is a file descriptor and this object, not its bytes. */
        static final long HELD_BYTES = 64;

        @Override
        public long memoryBytes() {
            return HELD_BYTES;
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
        private long startOffset = -1;
        private long endOffset = -1;

        public EndOfRequest(Consumer<WriteOutcome> onDone) {
            this.onDone = onDone;
        }

        /** The connection's output offset just after the response this bucket ends, or -1 if not yet known. */
        public long endOffset() {
            return endOffset;
        }

        /** The connection's output offset where the response this bucket ends began, or -1 if not yet known. */
        public long startOffset() {
            return startOffset;
        }

        void markOffsets(long start, long end) {
            startOffset = start;
            endOffset = end;
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
