package dev.brigade.files;

import dev.brigade.filter.ContentCoding;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One representation of a file: the identity bytes, a precompressed sibling ({@code a.css.gz}) or
 * a gzip made once into the cache. Each has its own strong validator, so caches and
 * {@code If-Range} never mix encodings.
 *
 * @see FileEntry
 */
final class Variant {

    private final Path file;
    private final String coding;
    private final long size;
    private final String etag;
    private final String codedEtag; // of the identity: what a gzip made on the fly is tagged, or null
    private final long lastModifiedSeconds;
    private final String lastModified;
    private volatile CachedBody body;
    private volatile byte[] headerFields;

    /**
     * @param file where the bytes are on disk, or null for a variant that exists only in memory
     * @param coding the content coding ({@code gzip}, {@code br}, {@code zstd}) or null for identity
     */
    Variant(Path file, String coding, long size, long mtimeMillis) {
        this.file = file;
        this.coding = coding;
        this.size = size;
        this.lastModifiedSeconds = Math.floorDiv(mtimeMillis, 1000);
        this.lastModified = HttpDates.format(lastModifiedSeconds);
        String tag = Long.toHexString(size) + "-" + Long.toHexString(mtimeMillis);
        this.etag = "\"" + tag + (coding == null ? "" : "-" + coding) + "\"";
        this.codedEtag = coding == null ? ContentCoding.gzipEtag(etag) : null;
    }

    Path file() {
        return file;
    }

    String coding() {
        return coding;
    }

    long size() {
        return size;
    }

    String etag() {
        return etag;
    }

    /** The ETag a response of this identity variant carries once gzipped on the fly; null for a coded variant. */
    String codedEtag() {
        return codedEtag;
    }

    long lastModifiedSeconds() {
        return lastModifiedSeconds;
    }

    String lastModified() {
        return lastModified;
    }

    CachedBody body() {
        return body;
    }

    void body(CachedBody b) {
        this.body = b;
    }

    /**
     * The header field lines of a full (200) answer with this variant, encoded once: Content-Type,
     * ETag, Last-Modified, Accept-Ranges, Cache-Control, Content-Encoding and Vary as they apply.
     */
    byte[] headerFields(String contentType, String cacheControl, boolean vary) {
        byte[] h = headerFields;
        if (h == null) {
            StringBuilder sb = new StringBuilder(200);
            line(sb, "Content-Type", contentType);
            line(sb, "ETag", etag);
            line(sb, "Last-Modified", lastModified);
            line(sb, "Accept-Ranges", "bytes");
            if (cacheControl != null) {
                line(sb, "Cache-Control", cacheControl);
            }
            if (coding != null) {
                line(sb, "Content-Encoding", coding);
            }
            if (vary) {
                line(sb, "Vary", "Accept-Encoding");
            }
            h = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
            headerFields = h;
        }
        return h;
    }

    private static void line(StringBuilder sb, String name, String value) {
        sb.append(name).append(": ").append(value).append("\r\n");
    }
}
