package dev.brigade.http1;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Splits a request target into path and query and percent-decodes the path as UTF-8, once.
 * Invalid escapes and invalid UTF-8 make the target unusable ({@link #parse} returns null: 400).
 *
 * @param rawPath the path as sent (origin-form, or the path part of an absolute-form target)
 * @param query the raw query after {@code ?}, or empty
 * @param path the decoded path; {@code %2F} decodes to {@code /} here, so callers that care about
 *             segment boundaries (the static file mapper) must split {@link #rawPath} first
 */
public record RequestTarget(String rawPath, String query, String path) {

    /** The target's parts, or null when its escapes or UTF-8 are invalid. */
    public static RequestTarget parse(String target) {
        String pathAndQuery = target;
        if (!target.startsWith("/")) {
            int scheme = target.indexOf("://");
            if (scheme > 0) {
                int slash = target.indexOf('/', scheme + 3);
                int q = target.indexOf('?', scheme + 3);
                int start = slash >= 0 && (q < 0 || slash < q) ? slash : q;
                pathAndQuery = start < 0 ? "/" : (target.charAt(start) == '?' ? "/" + target.substring(start) : target.substring(start));
            } else {
                pathAndQuery = target.equals("*") ? "*" : "/";
            }
        }
        int q = pathAndQuery.indexOf('?');
        String rawPath = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        String decoded = decode(rawPath, false);
        return decoded == null ? null : new RequestTarget(rawPath, query, decoded);
    }

    /**
     * Percent-decodes UTF-8; with {@code plusIsSpace} (query components) '+' means a space.
     * Returns null for a malformed escape, invalid UTF-8, or a character that is not ASCII (a target
     * carries those only as escapes; the parser never lets one through, other callers get the same
     * answer with or without escapes).
     */
    public static String decode(String s, boolean plusIsSpace) {
        boolean plain = true;
        for (int i = 0; i < s.length() && plain; i++) {
            char c = s.charAt(i);
            plain = c != '%' && !(c == '+' && plusIsSpace) && c <= 0x7f;
        }
        if (plain) {
            return s;
        }
        var out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else if (c > 0x7f) {
                return null;
            } else {
                out.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
