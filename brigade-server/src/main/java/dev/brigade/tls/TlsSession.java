package dev.brigade.tls;

import dev.brigade.buffer.RefBuf;
import dev.brigade.filter.Brigade;
import dev.brigade.filter.Bucket;
import dev.brigade.filter.FileTruncatedException;
import dev.brigade.filter.FilterContext;
import dev.brigade.filter.InputFilter;
import dev.brigade.filter.InputRejectedException;
import dev.brigade.filter.OutputFilter;
import dev.brigade.filter.WriteOutcome;
import java.io.IOException;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * One connection's TLS (mod_ssl's filter pair): an {@link SSLEngine}, its {@link Input} filter that
 * decrypts what the HTTP/1 framing reads, and its {@link Output} filter that encrypts what the
 * responses write. Loop thread only, except the handshake's delegated tasks.
 *
 * <p>The handshake is driven by reads: the connection starts by reading a request head, and each
 * read moves the handshake on — decrypting what came, encrypting what the engine wants to send
 * (passed straight to the network filter), and starting delegated tasks on the context's threads,
 * after which the connection is asked to read again ({@link FilterContext#resumeInput}). Until the
 * handshake is done no plaintext comes out, so the request head's deadline is the handshake's.
 *
 * <p>Output follows the filter contract: data is encrypted one record at a time into pooled
 * buffers passed to the network filter, and the rest is set aside as soon as the network is backed
 * up or the connection's budget is reached, or after {@link #QUANTUM_BYTES} in one call (the loop
 * serves other connections meanwhile). In-memory pieces (cached pages, too) are encrypted from
 * their own buffers; file regions are read a record's worth at a time — sendfile cannot cross TLS.
 */
final class TlsSession {

    /** Plaintext encrypted in one write call before the rest waits for the next pass. */
    static final int QUANTUM_BYTES = 256 * 1024;
    /** Encrypted records gathered before they are handed to the network filter. */
    private static final int PASS_BYTES = 32 * 1024;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int HANDSHAKE_RECORD = 22;

    private final TlsContext context;
    private final TlsBuffers buffers;
    private final SSLEngine engine;
    private final Input input = new Input();
    private final Output output = new Output();
    private RefBuf netIn; // ciphertext received and not yet decrypted, in write mode: data in [0, position)
    private RefBuf appIn; // decrypted bytes the reader had no room for, in read mode
    private boolean underflow; // netIn holds only part of a record
    private boolean sniffed; // the first bytes were looked at
    private boolean plaintext; // plain HTTP came to this port: its 400 leaves unencrypted
    private boolean handshakeDone;
    private boolean outboundClosed;
    private volatile boolean tasksRunning;

    TlsSession(TlsContext context, TlsBuffers buffers, SSLEngine engine) {
        this.context = context;
        this.buffers = buffers;
        this.engine = engine;
    }

    InputFilter input() {
        return input;
    }

    OutputFilter output() {
        return output;
    }

    // ---- input ---------------------------------------------------------------------------------

    /** Decrypts for the HTTP/1 framing above, moving the handshake on as it goes. */
    final class Input extends InputFilter {

        Input() {
            super("tls");
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (!dst.hasRemaining()) {
                return 0;
            }
            if (appIn != null) {
                return drainAppIn(dst);
            }
            for (int step = 0; step < 16; step++) { // a bounded slice of work per call
                if (tasksRunning) {
                    readNetwork(); // take what came meanwhile, so the level-triggered selector does not spin
                    return 0;
                }
                HandshakeStatus hs = engine.getHandshakeStatus();
                if (hs == HandshakeStatus.NEED_TASK) {
                    startTasks();
                    return 0;
                }
                if (hs == HandshakeStatus.NEED_WRAP) {
                    output.sendHandshake();
                    continue;
                }
                if (netIn == null || netIn.buffer().position() == 0 || underflow) {
                    int r = readNetwork();
                    if (r < 0) {
                        return endOfInput();
                    }
                    if (r == 0) {
                        return 0;
                    }
                }
                if (!sniffed) {
                    sniff();
                }
                int n = unwrap(dst);
                if (n != 0) {
                    return n;
                }
            }
            return 0;
        }

        int readBelow(ByteBuffer dst) throws IOException {
            return readNext(dst);
        }

        FilterContext connection() {
            return context();
        }

        @Override
        public boolean hasBuffered() {
            return !tasksRunning && (appIn != null || (netIn != null && netIn.buffer().position() > 0 && !underflow));
        }

        @Override
        protected void onIdle() {
            releaseNetInIfEmpty();
        }

        @Override
        protected void onClose() {
            if (netIn != null) {
                netIn.release();
                netIn = null;
            }
            if (appIn != null) {
                appIn.release();
                appIn = null;
            }
        }
    }

    private int readNetwork() throws IOException {
        if (netIn == null) {
            netIn = buffers.records.acquire();
        }
        ByteBuffer b = netIn.buffer();
        if (!b.hasRemaining()) {
            if (underflow) {
                throw new InputRejectedException(0, "a TLS record larger than " + b.capacity() + " bytes");
            }
            return 0; // full of whole records: decrypt those first
        }
        int n = input.readBelow(b);
        if (n <= 0) {
            releaseNetInIfEmpty();
        } else {
            underflow = false;
        }
        return n;
    }

    private void releaseNetInIfEmpty() {
        if (netIn != null && netIn.buffer().position() == 0) {
            netIn.release();
            netIn = null;
            underflow = false;
        }
    }

    /** nginx's rule: plain HTTP on a TLS port gets a 400 it can read, not a handshake failure. */
    private void sniff() throws IOException {
        sniffed = true;
        ByteBuffer b = netIn.buffer();
        int first = b.get(0) & 0xff;
        if (first != HANDSHAKE_RECORD && first >= 'A' && first <= 'Z') {
            plaintext = true;
            context.stats().plainHttp();
            throw new InputRejectedException(400, "plain HTTP request sent to the TLS port");
        }
    }

    /** Decrypts one record into {@code dst}; returns the plaintext bytes, 0 if none (a handshake message, too little input), -1 at close_notify. */
    private int unwrap(ByteBuffer dst) throws IOException {
        ByteBuffer in = netIn.buffer().flip();
        SSLEngineResult r;
        try {
            r = engine.unwrap(in, dst);
        } catch (SSLException e) {
            throw failed(e);
        } finally {
            in.compact();
        }
        underflow = r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW;
        releaseNetInIfEmpty();
        switch (r.getStatus()) {
            case BUFFER_OVERFLOW -> {
                return unwrapIntoAppIn(dst); // a record larger than the reader's room
            }
            case CLOSED -> {
                return -1; // close_notify: the client sends nothing more
            }
            default -> {
                refuseRenegotiation(r.getHandshakeStatus());
                handshakeProgress(r.getHandshakeStatus());
                return r.bytesProduced();
            }
        }
    }

    /**
     * The engine refuses to decrypt into less room than the record's declared size (even before
     * the whole record is here): decrypt into a buffer of its own, hand out what fits.
     */
    private int unwrapIntoAppIn(ByteBuffer dst) throws IOException {
        appIn = buffers.records.acquire();
        ByteBuffer in = netIn.buffer().flip();
        SSLEngineResult r;
        try {
            r = engine.unwrap(in, appIn.buffer());
        } catch (SSLException e) {
            throw failed(e);
        } finally {
            in.compact();
            appIn.buffer().flip();
        }
        underflow = r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW; // only part of the record came yet
        releaseNetInIfEmpty();
        if (!appIn.buffer().hasRemaining()) {
            appIn.release();
            appIn = null;
        }
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
            return -1;
        }
        refuseRenegotiation(r.getHandshakeStatus());
        handshakeProgress(r.getHandshakeStatus());
        return appIn == null ? 0 : drainAppIn(dst);
    }

    private int drainAppIn(ByteBuffer dst) {
        ByteBuffer src = appIn.buffer();
        int n = Math.min(src.remaining(), dst.remaining());
        dst.put(dst.position(), src, src.position(), n);
        dst.position(dst.position() + n);
        src.position(src.position() + n);
        if (!src.hasRemaining()) {
            appIn.release();
            appIn = null;
        }
        return n;
    }

    /** The network closed: silent if nothing ever came (a port probe), a rejection if a handshake was cut. */
    private int endOfInput() throws IOException {
        if (sniffed && !handshakeDone) {
            context.stats().failure();
            throw new InputRejectedException(0, "TLS handshake failed: the client closed the connection during it");
        }
        return -1;
    }

    private void handshakeProgress(HandshakeStatus hs) {
        if (hs == HandshakeStatus.FINISHED) {
            handshakeDone = true;
            context.stats().handshake(engine.getSession().getProtocol());
        }
    }

    /** What the client sent after the handshake started a new one: refused for TLS 1.2. */
    private void refuseRenegotiation(HandshakeStatus hs) throws IOException {
        if (handshakeDone && hs != HandshakeStatus.NOT_HANDSHAKING && hs != HandshakeStatus.FINISHED
                && "TLSv1.2".equals(engine.getSession().getProtocol())) {
            // after a TLS 1.2 handshake, handshake messages are a renegotiation (TLS 1.3 has
            // key updates and tickets instead, which go on as usual)
            context.stats().renegotiationRefused();
            throw new InputRejectedException(0, "TLS renegotiation refused");
        }
    }

    private void startTasks() {
        tasksRunning = true;
        FilterContext connection = input.connection();
        context.runTask(() -> {
            try {
                for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                    task.run();
                }
            } finally {
                tasksRunning = false;
                connection.resumeInput();
            }
        });
    }

    private IOException failed(SSLException e) {
        boolean during = !handshakeDone;
        if (during) {
            context.stats().failure();
        }
        try {
            output.sendHandshake(); // the alert the engine prepared tells the client why
        } catch (IOException | RuntimeException ignored) {
            // the client is gone or the engine has nothing to say: closing is all that is left
        }
        String what = during ? "TLS handshake failed: " : "TLS error: ";
        return new InputRejectedException(0, what + String.valueOf(e.getMessage()).replace('\n', ' '));
    }

    // ---- output --------------------------------------------------------------------------------

    /** Encrypts what the responses write, a record at a time, within the connection's budget. */
    final class Output extends OutputFilter {

        Output() {
            super("tls");
        }

        @Override
        public boolean connectionLevel() {
            return true;
        }

        @Override
        public void write(Brigade in) throws IOException {
            reinstate(in);
            if (plaintext) {
                passNext(in); // the 400 to a plain HTTP client: readable, then closed
                return;
            }
            Brigade out = new Brigade();
            try {
                encrypt(in, out);
            } finally {
                // whatever happens (a write fails mid-way), nothing handed to this filter is lost:
                // what was not passed on stays here, and closing completes it
                setaside(out);
                setaside(in);
            }
        }

        private void encrypt(Brigade in, Brigade out) throws IOException {
            long quantum = QUANTUM_BYTES;
            for (Bucket b; (b = in.first()) != null; ) {
                long left = switch (b) {
                    case Bucket.Bytes bytes -> bytes.data().remaining();
                    case Bucket.FileRegion region -> region.remaining();
                    case Bucket.Head head -> throw new IllegalStateException("a response head reached TLS unencoded");
                    default -> -1;
                };
                if (left < 0) {
                    out.add(in.poll()); // flush, end of stream, end of request: in order, after the records before them
                    continue;
                }
                if (left == 0) {
                    in.poll().complete(WriteOutcome.COMPLETED);
                    continue;
                }
                if (out.memoryBytes() >= PASS_BYTES) {
                    passNext(out); // the next filter takes every bucket: out is empty again
                }
                if (quantum <= 0 || shouldYield()) {
                    break; // the rest waits for write completion
                }
                quantum -= b instanceof Bucket.FileRegion region ? encryptFilePiece(region, out) : encryptBytes(in, out);
                if (b instanceof Bucket.FileRegion region && region.remaining() == 0) {
                    in.poll().complete(WriteOutcome.COMPLETED);
                }
            }
            if (!out.isEmpty()) {
                passNext(out);
            }
        }

        /** The engine wants to send handshake messages (or an alert, or close_notify): they go now. */
        void sendHandshake() throws IOException {
            Brigade out = new Brigade();
            while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                ByteBuffer scratch = buffers.wrapScratch.clear();
                SSLEngineResult r = engine.wrap(EMPTY, scratch);
                addRecord(scratch.flip(), out);
                if (r.getStatus() == SSLEngineResult.Status.CLOSED && !scratch.hasRemaining() && r.bytesProduced() == 0) {
                    break;
                }
                handshakeProgress(r.getHandshakeStatus());
            }
            out.add(Bucket.Flush.INSTANCE);
            passNext(out);
        }

        @Override
        protected void closeOutbound() throws IOException {
            if (plaintext || outboundClosed) {
                return;
            }
            outboundClosed = true;
            engine.closeOutbound();
            sendHandshake(); // close_notify
        }
    }

    /**
     * Encrypts the in-memory piece at the front of {@code in} as one record: a large piece straight
     * from its buffer (a cached page's read-only view, too), small ones gathered with the small
     * pieces after them, so a head and a short body make one record. Returns the plaintext taken.
     */
    private long encryptBytes(Brigade in, Brigade out) throws IOException {
        ByteBuffer first = ((Bucket.Bytes) in.first()).data();
        if (first.remaining() >= TlsBuffers.SMALL_PIECE) {
            int before = first.position();
            encryptRecord(first, out);
            long taken = first.position() - before;
            if (!first.hasRemaining()) {
                in.poll().complete(WriteOutcome.COMPLETED);
            }
            return taken;
        }
        ByteBuffer plain = buffers.plainScratch.clear().limit(TlsBuffers.SMALL_PIECE);
        while (in.first() instanceof Bucket.Bytes b && plain.hasRemaining()) {
            ByteBuffer data = b.data();
            int n = Math.min(data.remaining(), plain.remaining());
            plain.put(plain.position(), data, data.position(), n);
            plain.position(plain.position() + n);
            data.position(data.position() + n);
            if (data.hasRemaining()) {
                break;
            }
            in.poll().complete(WriteOutcome.COMPLETED);
        }
        plain.flip();
        long taken = plain.remaining();
        while (plain.hasRemaining()) {
            encryptRecord(plain, out);
        }
        return taken;
    }

    /** Reads the next piece of a file region and encrypts it; the region advances by what was read. */
    private long encryptFilePiece(Bucket.FileRegion region, Brigade out) throws IOException {
        ByteBuffer plain = buffers.plainScratch.clear().limit((int) Math.min(TlsBuffers.FILE_PIECE, region.remaining()));
        long position = region.position();
        while (plain.hasRemaining()) {
            int n = region.file().read(plain, position + plain.position());
            if (n < 0) {
                throw new FileTruncatedException(position + plain.position(), region.remaining() - plain.position());
            }
        }
        plain.flip();
        int taken = plain.remaining();
        while (plain.hasRemaining()) {
            encryptRecord(plain, out);
        }
        region.advance(taken);
        return taken;
    }

    /** One record from {@code src}: into a pooled record buffer when large, else via scratch into one of its size. */
    private void encryptRecord(ByteBuffer src, Brigade out) throws IOException {
        if (src.remaining() >= TlsBuffers.SMALL_PIECE) {
            RefBuf record = buffers.records.acquire();
            try {
                wrap(src, record.buffer());
            } catch (IOException | RuntimeException e) {
                record.release();
                throw e;
            }
            out.add(new Bucket.Bytes(record.buffer().flip(), record));
        } else {
            ByteBuffer scratch = buffers.wrapScratch.clear();
            wrap(src, scratch);
            addRecord(scratch.flip(), out);
        }
    }

    private void wrap(ByteBuffer src, ByteBuffer dst) throws IOException {
        SSLEngineResult r = engine.wrap(src, dst);
        switch (r.getStatus()) {
            case CLOSED -> throw new IOException("TLS output already closed");
            case BUFFER_OVERFLOW -> throw new IOException("a TLS record does not fit " + dst.capacity() + " bytes");
            default -> handshakeProgress(r.getHandshakeStatus());
        }
    }

    /** Copies an encrypted record from scratch into a pooled buffer of its size. */
    private void addRecord(ByteBuffer encrypted, Brigade out) {
        if (!encrypted.hasRemaining()) {
            return;
        }
        RefBuf record = encrypted.remaining() <= buffers.small.largest()
                ? buffers.small.acquire(encrypted.remaining()) : buffers.records.acquire();
        record.buffer().put(encrypted).flip();
        out.add(new Bucket.Bytes(record.buffer(), record));
    }
}
