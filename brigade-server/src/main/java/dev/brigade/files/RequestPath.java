package dev.brigade.files;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request target reduced to decoded path segments, done once and strictly.
 *
 * <p>The raw target is split on {@code /} <em>before</em> decoding, so {@code %2F} inside a
 * segment stays part of that segment (and, since no file name holds a slash, finds nothing).
 * Dot segments ({@code .} and {@code ..}, RFC 3986 §5.2.4) are removed on the raw path, in
 * either spelling: an encoded dot is an unreserved character, so {@code %2e} and {@code %2E} are
 * decoded first (§6.2.2.2) and {@code /sub/%2e} is {@code /sub/.}. A {@code ..} that would climb
 * above {@code /} is a {@link Malformed} error, not clamped. Each segment is then percent-decoded
 * as strict UTF-8: a {@code %} not followed by two hex digits, or bytes that are not UTF-8, or a
 * NUL are {@link Malformed} (400). Empty segments ({@code a//b}) are dropped, as nginx merges
 * slashes.
 *
 * @param segments the decoded segments, never empty strings
 * @param trailingSlash whether the path ended with {@code /} (or a dot segment), i.e. names a directory
 */
record RequestPath(List<String> segments, boolean trailingSlash) {

    /** A target that cannot be a valid path: answered 400. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** Parses an origin-form or absolute-form target (query and fragment stripped). */
    static RequestPath parse(String target) throws Malformed {
        String raw = rawPath(target);
        if (!raw.startsWith("/")) {
            throw new Malformed("not an absolute path: " + target);
        }
        List<String> segments = new ArrayList<>(8);
        boolean trailing = false;
        for (int pos = 1, end; pos <= raw.length(); pos = end + 1) { // segment by segment, no split
            end = raw.indexOf('/', pos);
            if (end < 0) {
                end = raw.length();
            }
            boolean last = end == raw.length();
            String s = dotSegment(raw.substring(pos, end));
            switch (s) {
                case "." -> trailing = last;
                case ".." -> {
                    if (segments.isEmpty()) {
                        throw new Malformed("path climbs above the root");
                    }
                    segments.removeLast();
                    trailing = last;
                }
                case "" -> trailing = last;
                default -> {
                    segments.add(s);
                    trailing = false;
                }
            }
        }
        boolean directory = trailing || segments.isEmpty();
        for (int i = 0; i < segments.size(); i++) {
            segments.set(i, decode(segments.get(i))); // only what survived the dot segments is decoded
        }
        return new RequestPath(java.util.Collections.unmodifiableList(segments), directory);
    }

    /** {@code .} or {@code ..} for a segment that spells one with encoded dots; the segment itself otherwise. */
    private static String dotSegment(String raw) {
        if (raw.isEmpty() || raw.length() > 6 || raw.indexOf('%') < 0) {
            return raw;
        }
        String decoded = raw.replace("%2e", ".").replace("%2E", ".");
        return decoded.equals(".") || decoded.equals("..") ? decoded : raw;
    }

    /** The path part of a target: without scheme and authority (absolute form), query or fragment. */
    static String rawPath(String target) {
        String t = target;
        int schemeEnd = t.indexOf("://");
        if (schemeEnd > 0 && t.substring(0, schemeEnd).chars().allMatch(Character::isLetter)) {
            int slash = t.indexOf('/', schemeEnd + 3);
            int query = t.indexOf('?', schemeEnd + 3);
            if (slash < 0 || (query >= 0 && query < slash)) {
                t = "/" + (query >= 0 ? t.substring(query) : "");
            } else {
                t = t.substring(slash);
            }
        }
        int end = t.length();
        int q = t.indexOf('?');
        if (q >= 0) {
            end = q;
        }
        int f = t.indexOf('#');
        if (f >= 0 && f < end) {
            end = f;
        }
        return t.substring(0, end);
    }

    /** No escapes, no NUL, nothing beyond ASCII: the segment is its own decoding (the usual case, no copy). */
    private static boolean plainAscii(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%' || c == 0 || c >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Strict percent-decoding of one segment as UTF-8. */
    static String decode(String segment) throws Malformed {
        if (plainAscii(segment)) {
            return segment;
        }
        ByteBuffer bytes = ByteBuffer.allocate(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    throw new Malformed("truncated escape");
                }
                int hi = Character.digit(segment.charAt(i + 1), 16);
                int lo = Character.digit(segment.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new Malformed("invalid escape");
                }
                bytes.put((byte) (hi << 4 | lo));
                i += 2;
            } else if (c > 0xff) {
                throw new Malformed("character outside Latin-1 in target");
            } else {
                bytes.put((byte) c); // raw bytes above 0x7f arrive as Latin-1 chars: decode them as UTF-8 too
            }
        }
        bytes.flip();
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = utf8.decode(bytes);
            String s = chars.toString();
            if (s.indexOf('\0') >= 0) {
                throw new Malformed("NUL in path");
            }
            return s;
        } catch (CharacterCodingException e) {
            throw new Malformed("not UTF-8");
        }
    }
}
