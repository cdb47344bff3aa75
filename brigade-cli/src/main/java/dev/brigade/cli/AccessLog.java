package dev.brigade.cli;

import dev.brigade.api.Transaction;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Access log lines (Apache "combined" by default, or "common", or JSON lines), written by a thread of their own so that an event loop
 * never waits on a disk or a terminal. If the writer falls more than 64 Ki lines behind, lines are
 * dropped and counted rather than letting memory grow.
 *
 * <p>Format: combined plus one field, {@code %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i" %X}:
 * the byte count is what was written to the socket, head included (httpd's {@code %O}); the status
 * is the one sent, or 499 (nginx's "client closed request") when the connection ended before any
 * response; the last field is {@code X} when the response did not leave whole (the client left, a
 * deadline closed it), {@code +} when it did. {@code common} is the first seven fields; {@code json}
 * one object per line with the same facts plus the connection id and the duration in microseconds.
 */
final class AccessLog implements AutoCloseable {

    private static final DateTimeFormatter CLF_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneId.systemDefault());
    private static final String POISON = "";
    /** nginx's status for a request whose client left before any response. */
    private static final int CLIENT_CLOSED = 499;

    /** {@code --access-log-format}. */
    enum Format {
        combined, common, json
    }

    private final Format format;
    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(64 * 1024);
    private final AtomicLong dropped = new AtomicLong();
    private final Writer out;
    private final Thread writer;

    private AccessLog(Writer out, Format format) {
        this.out = out;
        this.format = format;
        this.writer = Thread.ofPlatform().daemon().name("brigade-access-log").start(this::drain);
    }

    /** Opens the log in combined format: a path, "-" for standard output, or "off" (returns null). */
    static AccessLog open(String target) throws IOException {
        return open(target, Format.combined);
    }

    /** Opens the log: a path, "-" for standard output, or "off" (returns null). */
    static AccessLog open(String target, Format format) throws IOException {
        if (target.equalsIgnoreCase("off")) {
            return null;
        }
        Writer w = target.equals("-")
                ? new OutputStreamWriter(System.out, StandardCharsets.UTF_8)
                : Files.newBufferedWriter(Path.of(target), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return new AccessLog(new BufferedWriter(w, 64 * 1024), format);
    }

    void log(Transaction t) {
        String line = switch (format) {
            case combined -> format(t);
            case common -> common(t);
            case json -> json(t);
        };
        if (!lines.offer(line)) {
            dropped.incrementAndGet();
        }
    }

    static String format(Transaction t) {
        return common(t) + " \"" + escape(t.referer() == null ? "-" : t.referer()) + "\" \""
                + escape(t.userAgent() == null ? "-" : t.userAgent()) + "\" " + (t.completed() ? "+" : "X");
    }

    /** Common Log Format: {@code %h %l %u %t "%r" %>s %O}. */
    static String common(Transaction t) {
        String request = t.method().equals("-") ? "-" : t.method() + " " + t.target() + " " + t.protocol();
        return t.remote().getAddress().getHostAddress() + " - - [" + CLF_TIME.format(Instant.ofEpochMilli(t.startEpochMillis()))
                + "] \"" + escape(request) + "\" " + status(t) + " "
                + (t.bytesSent() == 0 ? "-" : Long.toString(t.bytesSent()));
    }

    /** One JSON object per line, for log pipelines that parse fields rather than positions. */
    static String json(Transaction t) {
        StringBuilder sb = new StringBuilder(256).append('{');
        field(sb, "time", Instant.ofEpochMilli(t.startEpochMillis()).toString()).append(',');
        field(sb, "conn", t.connectionId()).append(',');
        field(sb, "remote", t.remote().getAddress().getHostAddress()).append(',');
        field(sb, "method", t.method()).append(',');
        field(sb, "target", t.target()).append(',');
        field(sb, "protocol", t.protocol()).append(',');
        field(sb, "status", status(t)).append(',');
        field(sb, "bytes", t.bytesSent()).append(',');
        field(sb, "duration_us", t.durationNanos() / 1000).append(',');
        field(sb, "referer", t.referer()).append(',');
        field(sb, "user_agent", t.userAgent()).append(',');
        sb.append("\"completed\":").append(t.completed());
        return sb.append('}').toString();
    }

    private static int status(Transaction t) {
        return t.status() == 0 ? CLIENT_CLOSED : t.status();
    }

    private static StringBuilder field(StringBuilder sb, String name, long value) {
        return sb.append('"').append(name).append("\":").append(value);
    }

    private static StringBuilder field(StringBuilder sb, String name, String value) {
        sb.append('"').append(name).append("\":");
        if (value == null) {
            return sb.append("null");
        }
        sb.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }

    /** httpd's escaping: quotes and backslashes backslashed, control and non-ASCII bytes as \xHH. */
    static String escape(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
            if (plain && sb == null) {
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (plain) {
                sb.append(c);
            } else if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else {
                sb.append(String.format("\\x%02x", c & 0xff));
            }
        }
        return sb == null ? s : sb.toString();
    }

    private void drain() {
        try {
            while (true) {
                String line = lines.poll(200, TimeUnit.MILLISECONDS);
                if (line == null) {
                    out.flush();
                    continue;
                }
                if (line == POISON) {
                    break;
                }
                out.write(line);
                out.write('\n');
                if (lines.isEmpty()) {
                    out.flush();
                }
            }
            out.flush();
        } catch (IOException | InterruptedException e) {
            System.err.println("brigade: access log stopped: " + e);
        }
    }

    @Override
    public void close() {
        lines.offer(POISON);
        try {
            writer.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long n = dropped.get();
        if (n > 0) {
            System.err.println("brigade: " + n + " access log lines were dropped (the log could not keep up)");
        }
    }
}
