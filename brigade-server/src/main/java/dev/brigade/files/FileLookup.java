package dev.brigade.files;

import dev.brigade.buffer.LeakDetector;
import dev.brigade.filter.ContentCoding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Finds the {@link FileEntry} for a request path: from the memory store while it is fresh, else
 * from the disk (resolving, stat'ing, looking for precompressed siblings), replacing what the store
 * held if the file changed. Also fills variants' bodies into the store on demand and makes the
 * in-memory gzip of small compressible files, once per entry.
 */
final class FileLookup {

    /** Precompressed siblings, in order of preference: suffix and content coding. */
    private static final String[][] SIBLINGS = {{".br", "br"}, {".zst", "zstd"}, {".gz", "gzip"}};
    /** Below this, gzip rarely pays for its header and the client's work. */
    private static final int GZIP_MIN_BYTES = 256;

    /** What a request path names on disk. */
    sealed interface Found {
        /** A file, with its entry. */
        record File(FileEntry entry) implements Found { }
        /** A directory asked for without its trailing slash. */
        record NeedsSlash() implements Found { }
        /** A directory with no index file. */
        record Directory(Path dir) implements Found { }
        /** Nothing servable. */
        record Missing() implements Found { }
    }

    private final StaticFiles.Options options;
    private final PathMapper mapper;
    private final MemoryCache cache;

    FileLookup(StaticFiles.Options options, PathMapper mapper, MemoryCache cache) {
        this.options = options;
        this.mapper = mapper;
        this.cache = cache;
    }

    /** Whether {@link #find} would answer {@code key} from memory, without asking the disk. */
    boolean freshInMemory(String key) {
        FileEntry cached = cache.get(key);
        return cached != null && cached.fresh(System.nanoTime(), cache.revalidateNanos());
    }

    Found find(String key, List<String> segments, boolean trailingSlash) throws IOException {
        long now = System.nanoTime();
        FileEntry cached = cache.get(key);
        if (cached != null && cached.fresh(now, cache.revalidateNanos())) {
            return new Found.File(cached);
        }
        Path real = mapper.resolve(segments);
        BasicFileAttributes attrs = real == null ? null : attributes(real);
        if (attrs != null && attrs.isDirectory()) {
            if (!trailingSlash) {
                return new Found.NeedsSlash();
            }
            List<String> withIndex = new ArrayList<>(segments);
            withIndex.add(options.indexFile);
            Path index = mapper.resolve(withIndex);
            BasicFileAttributes ia = index == null ? null : attributes(index);
            if (ia == null || !ia.isRegularFile()) {
                forget(cached);
                return new Found.Directory(real);
            }
            real = index;
            attrs = ia;
        } else if (attrs != null && trailingSlash) {
            attrs = null; // "/file.txt/" names no directory
        }
        if (attrs == null || !attrs.isRegularFile()) {
            forget(cached);
            return new Found.Missing();
        }
        long size = attrs.size();
        long mtime = attrs.lastModifiedTime().toMillis();
        if (cached != null && cached.matches(real, size, mtime)) {
            cached.checked(now);
            return new Found.File(cached);
        }
        FileEntry entry = build(key, real, size, mtime, now);
        cache.put(entry);
        return new Found.File(entry);
    }

    private void forget(FileEntry e) {
        if (e != null) {
            cache.remove(e);
        }
    }

    private FileEntry build(String key, Path real, long size, long mtime, long now) {
        String name = real.getFileName().toString();
        String type = options.mimeTypes.typeOf(name);
        boolean compressible = ContentCoding.compressible(type);
        List<Variant> siblings = new ArrayList<>(3);
        if (options.precompressed && compressible) {
            for (String[] s : SIBLINGS) {
                Path sib = real.resolveSibling(name + s[0]);
                BasicFileAttributes a = attributes(sib);
                if (a != null && a.isRegularFile()) {
                    siblings.add(new Variant(sib, s[1], a.size(), a.lastModifiedTime().toMillis()));
                }
            }
        }
        String relative = key.endsWith("/") ? key + options.indexFile : key;
        return new FileEntry(key, real, size, mtime, type, options.cacheControl.valueFor(relative),
                compressible || !siblings.isEmpty(), List.copyOf(siblings), now);
    }

    /**
     * The body of a variant in the store, loading it if it fits and the entry is still current;
     * null when it must be read from the file.
     */
    CachedBody body(FileEntry entry, Variant v) {
        CachedBody b = v.body();
        if (b != null || v.file() == null || !cache.mayHold(v.size()) || v.size() == 0) {
            return b;
        }
        try {
            FileChannel ch = FileChannel.open(v.file(), StandardOpenOption.READ);
            LeakDetector.Tracker tracker = LeakDetector.trackChannel(ch, v.file());
            try {
                if (ch.size() != v.size()) {
                    return null; // changing under us: the next revalidation sees it
                }
                b = cache.load(ch, v.size());
            } finally {
                LeakDetector.close(ch, tracker);
            }
        } catch (IOException e) {
            return null;
        }
        if (!cache.attach(entry, v, b, false)) {
            CachedBody winner = v.body();
            b.drop();
            return winner;
        }
        return b;
    }

    /**
     * The entry's gzip made in memory, made now if the entry is small, compressible and not tried
     * yet; null if there is none (too large, not smaller than the original, or not compressible).
     */
    Variant gzipped(FileEntry entry) {
        if (entry.gzipTried() || !options.compressInCache) {
            return entry.gzipped();
        }
        if (!ContentCoding.compressible(entry.contentType()) || entry.size() < GZIP_MIN_BYTES
                || !cache.mayHold(entry.size())) {
            entry.gzipped(null);
            return null;
        }
        byte[] data;
        try {
            byte[] original = Files.readAllBytes(entry.file());
            if (original.length != entry.size()) {
                return null;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(original.length / 3 + 64);
            try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
                gz.write(original);
            }
            data = out.toByteArray();
        } catch (IOException e) {
            return null;
        }
        if (data.length >= entry.size()) {
            entry.gzipped(null);
            return null;
        }
        Variant v = new Variant(null, "gzip", data.length, entry.mtimeMillis());
        CachedBody b = cache.hold(data);
        if (!cache.attach(entry, v, b, true)) {
            b.drop();
            return entry.gzipped();
        }
        return v;
    }

    private static BasicFileAttributes attributes(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, new LinkOption[0]);
        } catch (IOException e) {
            return null;
        }
    }
}
