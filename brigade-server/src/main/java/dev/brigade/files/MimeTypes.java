package dev.brigade.files;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Content types by file extension: a built-in table of the types a web site serves, which an
 * operator extends or overrides ({@link #with}). Text types and SVG get {@code charset=utf-8};
 * JSON needs none (RFC 8259: it is always UTF-8). Unknown extensions are
 * {@code application/octet-stream}, so a browser downloads rather than guesses.
 */
public final class MimeTypes {

    private static final String OCTETS = "application/octet-stream";
    private static final MimeTypes DEFAULTS = new MimeTypes(builtIn());

    private final Map<String, String> byExtension;

    private MimeTypes(Map<String, String> byExtension) {
        this.byExtension = byExtension;
    }

    /** The built-in table. */
    public static MimeTypes defaults() {
        return DEFAULTS;
    }

    /**
     * A copy with {@code extension} (without the dot, any case) mapped to {@code type}; a
     * {@code text/*} type without a charset gets {@code charset=utf-8}.
     */
    public MimeTypes with(String extension, String type) {
        Map<String, String> m = new HashMap<>(byExtension);
        m.put(extension.toLowerCase(Locale.ROOT), withCharset(type));
        return new MimeTypes(Map.copyOf(m));
    }

    /** The content type for a file name. */
    public String typeOf(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0) {
            return OCTETS;
        }
        return byExtension.getOrDefault(fileName.substring(dot + 1).toLowerCase(Locale.ROOT), OCTETS);
    }

    /** The content type for a file name from the built-in table. */
    public static String forName(String fileName) {
        return DEFAULTS.typeOf(fileName);
    }

    private static String withCharset(String type) {
        String t = type.toLowerCase(Locale.ROOT);
        boolean text = t.startsWith("text/") || t.equals("application/javascript") || t.equals("image/svg+xml");
        return text && !t.contains("charset") ? type + "; charset=utf-8" : type;
    }

    private static Map<String, String> builtIn() {
        String[][] table = {
            {"html", "text/html"}, {"htm", "text/html"}, {"css", "text/css"}, {"js", "text/javascript"},
            {"mjs", "text/javascript"}, {"txt", "text/plain"}, {"text", "text/plain"}, {"log", "text/plain"},
            {"md", "text/markdown"}, {"csv", "text/csv"}, {"tsv", "text/tab-separated-values"},
            {"ics", "text/calendar"}, {"vtt", "text/vtt"}, {"xml", "text/xml"},
            {"json", "application/json"}, {"map", "application/json"}, {"jsonld", "application/ld+json"},
            {"webmanifest", "application/manifest+json"}, {"rss", "application/rss+xml"},
            {"atom", "application/atom+xml"}, {"xhtml", "application/xhtml+xml"},
            {"svg", "image/svg+xml"}, {"png", "image/png"}, {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"},
            {"gif", "image/gif"}, {"webp", "image/webp"}, {"avif", "image/avif"}, {"ico", "image/x-icon"},
            {"bmp", "image/bmp"}, {"tif", "image/tiff"}, {"tiff", "image/tiff"},
            {"woff", "font/woff"}, {"woff2", "font/woff2"}, {"ttf", "font/ttf"}, {"otf", "font/otf"},
            {"pdf", "application/pdf"}, {"wasm", "application/wasm"}, {"zip", "application/zip"},
            {"gz", "application/gzip"}, {"tgz", "application/gzip"}, {"bz2", "application/x-bzip2"},
            {"xz", "application/x-xz"}, {"zst", "application/zstd"}, {"tar", "application/x-tar"},
            {"7z", "application/x-7z-compressed"}, {"jar", "application/java-archive"},
            {"mp4", "video/mp4"}, {"webm", "video/webm"}, {"ogv", "video/ogg"}, {"mov", "video/quicktime"},
            {"mp3", "audio/mpeg"}, {"ogg", "audio/ogg"}, {"oga", "audio/ogg"}, {"wav", "audio/wav"},
            {"flac", "audio/flac"}, {"m4a", "audio/mp4"}, {"opus", "audio/opus"},
        };
        Map<String, String> m = new HashMap<>();
        for (String[] row : table) {
            m.put(row[0], withCharset(row[1]));
        }
        return Map.copyOf(m);
    }
}
