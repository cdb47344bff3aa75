package dev.brigade.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A blocking client on a plain {@link Socket} for protocol edge cases: it writes exactly the bytes
 * it is given and reads responses one by one, keeping every byte as received.
 *
 * <p>Reads time out after 10 s by default (a test waiting on a server that never answers fails
 * instead of hanging). Strings are sent as ISO-8859-1, so each char is one byte.
 */
public final class RawClient implements AutoCloseable {

    private static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int lim;
    private boolean eof;
    private ByteArrayOutputStream recording = new ByteArrayOutputStream();

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to 127.0.0.1, over TLS when the tests run over TLS ({@link TestTransport}). */
    public static RawClient connect(int port) {
        try {
            Socket s = TestTransport.connect(port);
            s.setSoTimeout((int) DEFAULT_READ_TIMEOUT.toMillis());
            s.setTcpNoDelay(true);
            return new RawClient(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Shrinks the receive buffer so the server backs up soon: 16 KiB, or 64 KiB over TLS, where a
     * buffer smaller than one TLS record (16 KiB of plaintext plus overhead) leaves TCP waiting on
     * its persist timer for seconds at a time — a property of TCP and TLS together, whatever the server.
     */
    public RawClient smallReceiveBuffer() {
        try {
            socket.setReceiveBufferSize(TestTransport.tls() ? 64 * 1024 : 16 * 1024);
            return this;
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Socket socket() {
        return socket;
    }

    public RawClient send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawClient send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RawClient readTimeout(Duration timeout) {
        try {
            socket.setSoTimeout((int) timeout.toMillis());
            return this;
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one response to a request other than HEAD. */
    public HttpMessage readResponse() {
        return readResponse(false);
    }

    /** Reads one response; {@code toHead}: it answers a HEAD request, so it has no body whatever it says. */
    public HttpMessage readResponse(boolean toHead) {
        recording = new ByteArrayOutputStream();
        String statusLine = readLine();
        if (statusLine == null) {
            throw new AssertionError("connection closed before a response");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new AssertionError("not a status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        String line;
        while (!(line = requireLine()).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new AssertionError("not a header field: " + line);
            }
            headers.add(Map.entry(line.substring(0, colon), line.substring(colon + 1).strip()));
        }
        HttpMessage head = new HttpMessage(statusLine, status, headers, new byte[0], new byte[0]);
        byte[] body;
        String te = head.header("Transfer-Encoding");
        String cl = head.header("Content-Length");
        if (toHead || status < 200 || status == 204 || status == 304) {
            body = new byte[0];
        } else if (te != null && te.toLowerCase(Locale.ROOT).endsWith("chunked")) {
            body = readChunked();
        } else if (cl != null) {
            body = readExactly(Integer.parseInt(cl.strip()));
        } else {
            body = readRest();
        }
        return new HttpMessage(statusLine, status, headers, body, recording.toByteArray());
    }

    /** Reads everything until the server closes; fails if it does not within the read timeout. */
    public byte[] readToEof() {
        recording = new ByteArrayOutputStream();
        return readRest();
    }

    /**
     * Waits up to {@code timeout} for the server to close (FIN or reset), discarding what arrives
     * meanwhile; returns the milliseconds it took, or -1 if the connection was still open.
     */
    public long awaitClose(Duration timeout) {
        long start = System.nanoTime();
        try {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            while (true) {
                if (pos < lim) {
                    pos = lim;
                    continue;
                }
                if (eof) {
                    return (System.nanoTime() - start) / 1_000_000;
                }
                fill();
            }
        } catch (SocketTimeoutException e) {
            return -1;
        } catch (SocketException e) {
            return (System.nanoTime() - start) / 1_000_000; // reset by the server: closed too
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            readTimeout(DEFAULT_READ_TIMEOUT);
        }
    }

    /** Whatever bytes arrive within {@code window} (empty if none; stops at the first arrival). */
    public byte[] readWithin(Duration window) {
        if (pos < lim) {
            byte[] b = java.util.Arrays.copyOfRange(buf, pos, lim);
            pos = lim;
            return b;
        }
        try {
            socket.setSoTimeout((int) Math.max(1, window.toMillis()));
            fill();
            byte[] b = java.util.Arrays.copyOfRange(buf, pos, lim);
            pos = lim;
            return b;
        } catch (SocketTimeoutException e) {
            return new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            readTimeout(DEFAULT_READ_TIMEOUT);
        }
    }

    /**
     * Waits until the bytes received and not yet consumed contain {@code text}, without consuming
     * them: a later {@link #readResponse()} still sees them. Fails after {@code timeout}.
     */
    public RawClient awaitReceived(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!new String(buf, pos, lim - pos, StandardCharsets.ISO_8859_1).contains(text)) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0 || eof || lim == buf.length) {
                    throw new AssertionError("not received within " + timeout + ": " + text + "; got: "
                            + new String(buf, pos, lim - pos, StandardCharsets.ISO_8859_1));
                }
                socket.setSoTimeout((int) left);
                if (pos > 0) {
                    System.arraycopy(buf, pos, buf, 0, lim - pos);
                    lim -= pos;
                    pos = 0;
                }
                int n = in.read(buf, lim, buf.length - lim);
                if (n < 0) {
                    eof = true;
                } else {
                    lim += n;
                }
            }
            return this;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("not received within " + timeout + ": " + text, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            readTimeout(DEFAULT_READ_TIMEOUT);
        }
    }

    /** Closes abortively: SO_LINGER 0, so the server sees a reset rather than a FIN. */
    public void reset() {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket in a test: nothing to report
        }
    }

    // ---- reading -------------------------------------------------------------------------

    private void fill() throws IOException {
        if (eof) {
            return;
        }
        pos = 0;
        lim = 0;
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
            eof = true;
        } else {
            lim = n;
        }
    }

    /** The next byte, or -1 at EOF; SocketTimeoutException becomes an AssertionError. */
    private int next() {
        try {
            if (pos == lim) {
                fill();
                if (eof && pos == lim) {
                    return -1;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no data from the server within the read timeout; received so far: "
                    + recording.toString(StandardCharsets.ISO_8859_1), e);
        } catch (IOException e) {
            throw new UncheckedIOException("read failed after: " + recording.toString(StandardCharsets.ISO_8859_1), e);
        }
        int b = buf[pos++] & 0xff;
        recording.write(b);
        return b;
    }

    /** A CRLF-terminated line without its CRLF, or null at EOF before any byte. */
    private String readLine() {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = next()) >= 0) {
            if (b == '\n') {
                int len = sb.length();
                if (len == 0 || sb.charAt(len - 1) != '\r') {
                    throw new AssertionError("line ending in bare LF from the server: " + sb);
                }
                return sb.substring(0, len - 1);
            }
            sb.append((char) b);
        }
        if (sb.isEmpty()) {
            return null;
        }
        throw new AssertionError("connection closed mid-line: " + sb);
    }

    private String requireLine() {
        String line = readLine();
        if (line == null) {
            throw new AssertionError("connection closed mid-head: " + recording.toString(StandardCharsets.ISO_8859_1));
        }
        return line;
    }

    private byte[] readExactly(int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            int b = next();
            if (b < 0) {
                throw new AssertionError("connection closed after " + i + " of " + n + " body bytes");
            }
            out[i] = (byte) b;
        }
        return out;
    }

    private byte[] readRest() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int b;
        while ((b = next()) >= 0) {
            body.write(b);
        }
        return body.toByteArray();
    }

    private byte[] readChunked() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = requireLine();
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).strip(), 16);
            if (size == 0) {
                while (!requireLine().isEmpty()) {
                    // trailer fields: part of the raw bytes, not of the body
                }
                return body.toByteArray();
            }
            body.writeBytes(readExactly(size));
            if (!requireLine().isEmpty()) {
                throw new AssertionError("chunk data not followed by CRLF");
            }
        }
    }
}
