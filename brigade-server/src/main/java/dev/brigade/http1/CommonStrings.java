package dev.brigade.http1;

import java.nio.charset.StandardCharsets;

/**
 * The strings most requests carry (methods, the usual field names, a few values), handed out as
 * constants when the bytes match exactly, so that parsing a typical head allocates no string for
 * them. A match must be byte-for-byte: a field written {@code HOST} stays {@code "HOST"}.
 */
final class CommonStrings {

    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"};
    private static final String[] NAMES = {
        "Host", "Accept", "Accept-Encoding", "Accept-Language", "Connection", "Content-Length",
        "Content-Type", "User-Agent", "Cookie", "Referer", "Cache-Control", "If-None-Match",
        "If-Modified-Since", "Range", "Origin", "Authorization", "Transfer-Encoding", "Expect", "Pragma",
        "Upgrade-Insecure-Requests", "Sec-Fetch-Dest", "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-User",
        "X-Forwarded-For", "X-Forwarded-Proto", "X-Requested-With", "DNT", "TE", "Priority",
        "host", "accept", "accept-encoding", "accept-language", "connection", "content-length",
        "content-type", "user-agent", "cookie", "referer", "cache-control", "if-none-match",
        "if-modified-since", "range", "origin", "authorization", "transfer-encoding",
    };
    private static final String[] VALUES = {"keep-alive", "close", "*/*", "gzip", "no-cache", "1"};

    /** By length, the candidates and their bytes: a lookup compares only strings of the right length. */
    private static final Table METHOD_TABLE = new Table(METHODS);
    private static final Table NAME_TABLE = new Table(NAMES);
    private static final Table VALUE_TABLE = new Table(VALUES);

    private CommonStrings() {
    }

    static String method(byte[] bytes, int from, int length) {
        return METHOD_TABLE.lookup(bytes, from, length);
    }

    static String fieldName(byte[] bytes, int from, int length) {
        return NAME_TABLE.lookup(bytes, from, length);
    }

    static String fieldValue(byte[] bytes, int from, int length) {
        return VALUE_TABLE.lookup(bytes, from, length);
    }

    private static final class Table {
        private final String[][] strings;
        private final byte[][][] bytes;

        Table(String[] all) {
            int longest = 0;
            for (String s : all) {
                longest = Math.max(longest, s.length());
            }
            strings = new String[longest + 1][];
            bytes = new byte[longest + 1][][];
            for (int len = 0; len <= longest; len++) {
                int n = len;
                String[] same = java.util.Arrays.stream(all).filter(s -> s.length() == n).toArray(String[]::new);
                strings[len] = same;
                bytes[len] = java.util.Arrays.stream(same).map(s -> s.getBytes(StandardCharsets.ISO_8859_1))
                        .toArray(byte[][]::new);
            }
        }

        /** The constant equal to {@code bytes[from, from + length)}, else a new string. */
        String lookup(byte[] in, int from, int length) {
            if (length < strings.length) {
                byte[][] candidates = bytes[length];
                for (int c = 0; c < candidates.length; c++) {
                    if (java.util.Arrays.equals(candidates[c], 0, length, in, from, from + length)) {
                        return strings[length][c];
                    }
                }
            }
            return new String(in, from, length, StandardCharsets.ISO_8859_1);
        }
    }
}
