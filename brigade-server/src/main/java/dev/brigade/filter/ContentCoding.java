package dev.brigade.filter;

import java.util.Locale;

/** Content negotiation for response compression: what the client accepts and what is worth compressing. */
public final class ContentCoding {

    private ContentCoding() {
    }

    /**
     * Whether an {@code Accept-Encoding} value admits {@code coding} (RFC 9110 §12.5.3): listed, or
     * covered by {@code *}, with a q-value above zero. An explicit entry beats {@code *}.
     */
    public static boolean accepts(String acceptEncoding, String coding) {
        if (acceptEncoding == null) {
            return false;
        }
        Double explicit = null;
        Double wildcard = null;
        for (String element : acceptEncoding.split(",")) {
            String[] parts = element.trim().split(";");
            String name = parts[0].trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            double q = 1.0;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                if (p.regionMatches(true, 0, "q=", 0, 2)) {
                    q = parseQ(p.substring(2));
                }
            }
            if (name.equals(coding) || (coding.equals("gzip") && name.equals("x-gzip"))) {
                explicit = explicit == null ? q : Math.max(explicit, q);
            } else if (name.equals("*")) {
                wildcard = q;
            }
        }
        double q = explicit != null ? explicit : wildcard != null ? wildcard : 0;
        return q > 0;
    }

    private static double parseQ(String value) {
        try {
            double q = Double.parseDouble(value.trim());
            return q >= 0 && q <= 1 ? q : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Whether a content type is text-like enough that compression pays (images, video, archives are not). */
    public static boolean compressible(String contentType) {
        if (contentType == null) {
            return false;
        }
        String t = contentType.toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        if (semi >= 0) {
            t = t.substring(0, semi).trim();
        }
        return t.startsWith("text/") || t.equals("application/json") || t.endsWith("+json")
                || t.equals("application/javascript") || t.equals("application/xml") || t.endsWith("+xml")
                || t.equals("image/svg+xml") || t.equals("application/wasm");
    }

    /** The strong ETag of a representation gzipped on the fly (RFC 9110 §8.8.3: another representation's), or null. */
    public static String gzipEtag(String etag) {
        if (etag == null || !etag.endsWith("\"") || etag.startsWith("W/") || etag.endsWith("-gzip\"")) {
            return null;
        }
        return etag.substring(0, etag.length() - 1) + "-gzip\"";
    }
}
