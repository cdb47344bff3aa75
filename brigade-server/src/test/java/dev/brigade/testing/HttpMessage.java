package dev.brigade.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One response as read from a raw socket: the status line, the header fields in order, the body
 * (de-chunked if it was chunked) and every byte exactly as received.
 */
public record HttpMessage(String statusLine, int status, List<Map.Entry<String, String>> headers, byte[] body,
                          byte[] raw) {

    /** The first value of a header field (case-insensitive), or null. */
    public String header(String name) {
        for (Map.Entry<String, String> e : headers) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Every value of a header field, in order. */
    public List<String> headers(String name) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : headers) {
            if (e.getKey().equalsIgnoreCase(name)) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public String rawText() {
        return new String(raw, StandardCharsets.ISO_8859_1);
    }

    /** Whether the response asks to close the connection. */
    public boolean closes() {
        String c = header("Connection");
        return c != null && c.toLowerCase(java.util.Locale.ROOT).contains("close");
    }

    @Override
    public String toString() {
        return rawText();
    }
}
