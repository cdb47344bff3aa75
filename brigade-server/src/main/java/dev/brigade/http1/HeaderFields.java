package dev.brigade.http1;

import java.util.Arrays;

/**
 * The header (or trailer) fields of one message, in the order received, names and values as sent.
 *
 * <p>Names keep their case; every lookup here compares names ASCII case-insensitively (RFC 9110
 * §5.1). Values are the field-line values with leading and trailing whitespace removed, decoded
 * as ISO-8859-1 so that every byte maps to exactly one char and nothing is lost (RFC 9110 §5.5).
 *
 * <p>Storage is one array of names and values interleaved that doubles when full: one small object
 * and one array per request, however many fields. Lookups are linear scans, which for the ~10 fields of a typical
 * request beat any hash map.
 *
 * <p>The parser fills an instance with {@link #add}; once it is handed out inside a
 * {@link RequestHead} the parser never touches it again (it starts a new one per request), so a
 * head stays valid while the next pipelined request is parsed. Not thread-safe: it is built on
 * the loop thread and may be read from one handler thread after that hand-off.
 */
public final class HeaderFields {

    private static final String[] NONE = new String[0];

    private String[] fields = NONE; // name 0, value 0, name 1, value 1, ...
    private int size;

    /** An empty field list (also the trailers of a body that had none). */
    public HeaderFields() {
    }

    /** Appends one field; the parser has already checked that the name is a token. */
    public void add(String name, String value) {
        if (2 * size == fields.length) {
            fields = Arrays.copyOf(fields, size == 0 ? 2 * 8 : 4 * size);
        }
        fields[2 * size] = name;
        fields[2 * size + 1] = value;
        size++;
    }

    public int size() {
        return size;
    }

    /** The name of field {@code i} (0-based, in received order), with its case as received. */
    public String name(int i) {
        checkIndex(i);
        return fields[2 * i];
    }

    /** The value of field {@code i}, without leading or trailing whitespace. */
    public String value(int i) {
        checkIndex(i);
        return fields[2 * i + 1];
    }

    /** The value of the first field called {@code name} (any case), or null if there is none. */
    public String first(String name) {
        for (int i = 0; i < size; i++) {
            if (Tokens.equalsIgnoreCaseAscii(fields[2 * i], name)) {
                return fields[2 * i + 1];
            }
        }
        return null;
    }

    /** How many field lines are called {@code name} (any case). */
    public int count(String name) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (Tokens.equalsIgnoreCaseAscii(fields[2 * i], name)) {
                n++;
            }
        }
        return n;
    }

    /**
     * True if any field called {@code name} holds {@code token} as one element of its
     * comma-separated list, compared ASCII case-insensitively with surrounding whitespace ignored:
     * {@code containsToken("Connection", "close")} is true for {@code Connection: Keep-Alive, CLOSE}.
     * Quoted strings are not parsed: list fields that matter here (Connection, Transfer-Encoding)
     * contain only tokens.
     */
    public boolean containsToken(String name, String token) {
        String lower = lowerAscii(token);
        for (int i = 0; i < size; i++) {
            if (Tokens.equalsIgnoreCaseAscii(fields[2 * i], name) && listContains(fields[2 * i + 1], lower)) {
                return true;
            }
        }
        return false;
    }

    private static boolean listContains(String list, String lower) {
        int start = 0;
        int length = list.length();
        while (start <= length) {
            int comma = list.indexOf(',', start);
            int end = comma < 0 ? length : comma;
            int from = Tokens.skipOws(list, start, end);
            int to = Tokens.trimOwsEnd(list, from, end);
            if (Tokens.equalsLowerAscii(list, from, to, lower)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    private static String lowerAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] chars = s.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    if (chars[j] >= 'A' && chars[j] <= 'Z') {
                        chars[j] = (char) (chars[j] + 32);
                    }
                }
                return new String(chars);
            }
        }
        return s;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("field " + i + " of " + size);
        }
    }

    /** Equal when the same names (exact case) and values appear in the same order. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HeaderFields other) || other.size != size) {
            return false;
        }
        return Arrays.equals(fields, 0, 2 * size, other.fields, 0, 2 * size);
    }

    @Override
    public int hashCode() {
        int h = size;
        for (int i = 0; i < size; i++) {
            h = 31 * h + fields[2 * i].hashCode();
            h = 31 * h + fields[2 * i + 1].hashCode();
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            sb.append(i == 0 ? "" : ", ").append(fields[2 * i]).append(": ").append(fields[2 * i + 1]);
        }
        return sb.append(']').toString();
    }
}
