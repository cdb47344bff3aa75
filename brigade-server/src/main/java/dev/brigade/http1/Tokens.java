package dev.brigade.http1;

/**
 * Byte classes of RFC 9110 §5.6 and RFC 3986, as 256-entry tables, plus ASCII-only case folding.
 *
 * <p>Every method takes a byte as an {@code int} and masks it, so a negative {@code byte} (obs-text,
 * 0x80–0xFF) indexes the tables safely: no method here can throw.
 *
 * <p>Case-insensitive comparison is ASCII-only on purpose: {@link String#equalsIgnoreCase} folds
 * Unicode, and a parser deciding framing must not let any byte other than {@code A-Z}/{@code a-z}
 * compare equal to a letter of {@code chunked} or {@code close}.
 */
final class Tokens {

    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HTAB = '\t';

    /** tchar: {@code !#$%&'*+-.^_`|~} DIGIT ALPHA (RFC 9110 §5.6.2). */
    private static final boolean[] TCHAR = new boolean[256];

    /** Bytes allowed in a Host value: unreserved, sub-delims, ":", "[", "]", "%" (RFC 3986 §3.2.2). */
    private static final boolean[] HOST = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
            HOST[c] = true;
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            TCHAR[c] = true;
            TCHAR[c + 32] = true;
            HOST[c] = true;
            HOST[c + 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
        for (char c : "-._~!$&'()*+,;=:[]%".toCharArray()) {
            HOST[c] = true;
        }
    }

    private Tokens() {
    }

    static boolean isTchar(int b) {
        return TCHAR[b & 0xFF];
    }

    /** VCHAR: visible ASCII 0x21–0x7E. */
    static boolean isVchar(int b) {
        int c = b & 0xFF;
        return c >= 0x21 && c <= 0x7E;
    }

    /** SP or HTAB: the OWS of RFC 9110 §5.6.3. */
    static boolean isOws(int b) {
        return b == SP || b == HTAB;
    }

    /** field-vchar, SP or HTAB: anything but CTLs other than HTAB, and DEL (RFC 9110 §5.5). */
    static boolean isFieldValueByte(int b) {
        int c = b & 0xFF;
        return c == HTAB || (c >= 0x20 && c != 0x7F);
    }

    static boolean isHostByte(int b) {
        return HOST[b & 0xFF];
    }

    /** The value of a hex digit, or -1. */
    static int hexValue(int b) {
        int c = b & 0xFF;
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        int lower = c | 0x20;
        if (lower >= 'a' && lower <= 'f') {
            return lower - 'a' + 10;
        }
        return -1;
    }

    /** True if every char of {@code s} is a tchar and there is at least one. */
    static boolean isToken(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c > 0xFF || !isTchar(c)) {
                return false;
            }
        }
        return true;
    }

    /** ASCII-only case-insensitive match of {@code s[from, to)} against {@code lower}, which is lower case. */
    static boolean equalsLowerAscii(String s, int from, int to, String lower) {
        if (to - from != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            char c = s.charAt(from + i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + 32);
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** ASCII-only case-insensitive equality of two whole strings (field names). */
    static boolean equalsIgnoreCaseAscii(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (x >= 'A' && x <= 'Z') {
                    x = (char) (x + 32);
                }
                if (y >= 'A' && y <= 'Z') {
                    y = (char) (y + 32);
                }
                if (x != y) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Index of the first non-OWS char of {@code s} in {@code [from, to)}, or {@code to}. */
    static int skipOws(String s, int from, int to) {
        while (from < to && isOws(s.charAt(from))) {
            from++;
        }
        return from;
    }

    /** One past the last non-OWS char of {@code s} in {@code [from, to)}, or {@code from}. */
    static int trimOwsEnd(String s, int from, int to) {
        while (to > from && isOws(s.charAt(to - 1))) {
            to--;
        }
        return to;
    }
}
