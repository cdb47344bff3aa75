package dev.brigade.files;

import dev.brigade.api.Handler;
import dev.brigade.api.Request;
import dev.brigade.api.Response;
import dev.brigade.filter.ContentCoding;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Serves the files under a root directory: what {@code brigade serve} does, and what a library user
 * mounts on a route.
 *
 * <pre>{@code
 * Server.builder().fallback(StaticFiles.builder(Path.of("site")).listing(true)
 *         .cacheControl("assets/**", "public, max-age=31536000, immutable").build())
 * }</pre>
 *
 * <p>The path of a request: {@link RequestPath} decodes the target strictly (400 on bad escapes);
 * {@link PathMapper} refuses every way out of the root (404); {@link FileLookup} finds the entry in
 * the {@link MemoryCache} or on disk; a representation is chosen (precompressed sibling, in-memory
 * gzip, or identity) and {@link FileSender} answers it: 304 / 412 by the preconditions, 200, 206
 * or 416 by the ranges. Directories get their index file, a redirect adding the trailing slash,
 * or a {@link DirectoryListing} when listings are on. GET and HEAD are served; OPTIONS answers
 * {@code Allow}; other methods 405.
 *
 * <p>File system calls run on the calling thread (an event-loop thread under the inline bridge,
 * as httpd's do on its workers): a cache hit makes none.
 */
public final class StaticFiles implements Handler, AutoCloseable {

    private static final String ALLOW = "GET, HEAD, OPTIONS";

    private final Options options;
    private final PathMapper mapper;
    private final List<String> mountSegments;
    private final FileLookup lookup;
    private final FileSender sender;

    /** Serves {@code root} at {@code mountPrefix} ({@code /} or e.g. {@code /static/}) with the defaults. */
    public StaticFiles(Path root, String mountPrefix) throws IOException {
        this(builder(root).mount(mountPrefix));
    }

    private StaticFiles(Builder b) throws IOException {
        if (b.options.cache == null) {
            b.options.cache = MemoryCache.defaults();
        }
        this.options = b.options;
        this.mapper = new PathMapper(b.root, options.showHidden, options.symlinksOutside);
        try {
            this.mountSegments = RequestPath.parse(options.mountPrefix).segments();
        } catch (RequestPath.Malformed e) {
            throw new IllegalArgumentException("invalid mount prefix: " + options.mountPrefix);
        }
        this.lookup = new FileLookup(options, mapper, options.cache);
        this.sender = new FileSender(options.zeroCopyThreshold);
    }

    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /** The memory store behind this handler (for statistics). */
    public MemoryCache cache() {
        return options.cache;
    }

    /** Drops the memory store's entries (pages under a write are freed when it completes). */
    @Override
    public void close() {
        options.cache.clear();
    }

    @Override
    public void handle(Request request, Response response) throws IOException {
        String method = request.method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.header("Allow", ALLOW);
            if (method.equals("OPTIONS")) {
                response.status(204).send();
            } else {
                response.status(405).send("405 Method Not Allowed\n");
            }
            return;
        }
        RequestPath path;
        try {
            path = RequestPath.parse(request.target());
        } catch (RequestPath.Malformed e) {
            response.status(400).send("400 Bad Request\n");
            return;
        }
        List<String> segments = path.segments();
        if (segments.size() < mountSegments.size() || !segments.subList(0, mountSegments.size()).equals(mountSegments)) {
            notFound(response);
            return;
        }
        if (segments.size() == mountSegments.size() && !path.trailingSlash()) {
            redirectWithSlash(request, response); // "/static" for a mount at "/static/"
            return;
        }
        List<String> relative = segments.subList(mountSegments.size(), segments.size());
        for (String s : relative) {
            if (!mapper.allowed(s)) {
                notFound(response);
                return;
            }
        }
        String key = String.join("/", relative) + (path.trailingSlash() && !relative.isEmpty() ? "/" : "");
        if (lookup.freshInMemory(key)) {
            lookUpAndServe(request, response, key, segments, relative, path.trailingSlash());
        } else {
            // the disk must be asked (stat, open, maybe read): off the loop, where a slow disk
            // stalls one request instead of every connection of the loop
            OffLoop.run(request, response, OffLoop.Kind.LOOKUP, (req, res) -> lookUpAndServe(req, res, key, segments,
                    relative, path.trailingSlash()));
        }
    }

    private void lookUpAndServe(Request request, Response response, String key, List<String> segments,
                                List<String> relative, boolean trailingSlash) throws IOException {
        switch (lookup.find(key, relative, trailingSlash)) {
            case FileLookup.Found.File(FileEntry entry) -> serve(request, response, entry);
            case FileLookup.Found.NeedsSlash() -> redirectWithSlash(request, response);
            case FileLookup.Found.Directory(Path dir) -> {
                if (options.listing) { // a listing can take long: its own pool, behind no lookup
                    OffLoop.run(request, response, OffLoop.Kind.LISTING,
                            (req, res) -> list(req, res, dir, segments, relative.isEmpty()));
                } else {
                    notFound(response);
                }
            }
            case FileLookup.Found.Missing() -> notFound(response);
        }
    }

    private void serve(Request request, Response response, FileEntry entry) throws IOException {
        Variant v = choose(request, entry);
        if (!sender.send(request, response, entry, v, lookup::body) && v != entry.identity()) {
            sender.send(request, response, entry, entry.identity(), lookup::body); // the in-memory gzip went away
        }
    }

    /** The representation for the client's Accept-Encoding: a sibling, the in-memory gzip, or identity. */
    private Variant choose(Request request, FileEntry entry) {
        String ae = request.header("Accept-Encoding");
        if (ae == null || !entry.vary()) {
            return entry.identity();
        }
        for (Variant s : entry.siblings()) {
            if (ContentCoding.accepts(ae, s.coding())) {
                return s;
            }
        }
        if (ContentCoding.accepts(ae, "gzip")) {
            Variant gz = lookup.gzipped(entry);
            if (gz != null) {
                return gz;
            }
        }
        return entry.identity();
    }

    private void list(Request request, Response response, Path dir, List<String> segments, boolean atMountRoot)
            throws IOException {
        String sort = Objects.requireNonNullElse(request.queryParam("sort"), "name");
        if (!sort.equals("size") && !sort.equals("date")) {
            sort = "name";
        }
        boolean descending = "desc".equals(request.queryParam("order"));
        List<DirectoryListing.Item> items = DirectoryListing.read(dir, mapper::listable, sort, descending);
        response.header("Vary", "Accept").header("Cache-Control", "no-cache");
        String accept = request.header("Accept");
        if (accept != null && accept.contains("application/json") && !accept.contains("text/html")) {
            response.contentType("application/json").send(DirectoryListing.json(items));
            return;
        }
        String title = "/" + String.join("/", segments) + (segments.isEmpty() ? "" : "/");
        response.contentType("text/html; charset=utf-8")
                .send(DirectoryListing.html(title, items, sort, descending, atMountRoot));
    }

    private static void redirectWithSlash(Request request, Response response) {
        // "//sub" would be read as a network-path reference, a redirect to the host "sub": the
        // location keeps one leading slash, whatever the client sent
        String raw = "/" + RequestPath.rawPath(request.target()).replaceFirst("^/+", "");
        String query = request.query().isEmpty() ? "" : "?" + request.query();
        response.status(301).header("Location", raw + "/" + query).send("301 Moved Permanently\n");
    }

    private static void notFound(Response response) {
        response.status(404).send("404 Not Found\n");
    }

    /** The settings of one handler, fixed when it is built. */
    static final class Options {
        String mountPrefix = "/";
        String indexFile = "index.html";
        boolean listing;
        boolean showHidden;
        boolean symlinksOutside;
        MimeTypes mimeTypes = MimeTypes.defaults();
        CacheControlRules cacheControl = CacheControlRules.none();
        MemoryCache cache;
        long zeroCopyThreshold = 16 * 1024;
        boolean precompressed = true;
        boolean compressInCache = true;
    }

    /** Settings for a {@link StaticFiles}; every one has a default an operator can leave alone. */
    public static final class Builder {
        private final Path root;
        private final Options options = new Options();

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root);
        }

        /** The request path prefix that maps to the root; {@code /} by default. */
        public Builder mount(String prefix) {
            options.mountPrefix = prefix.startsWith("/") ? prefix : "/" + prefix;
            return this;
        }

        /** The file served for a directory; {@code index.html} by default. */
        public Builder indexFile(String name) {
            options.indexFile = name;
            return this;
        }

        /** Directory listings for directories without an index file; off by default. */
        public Builder listing(boolean on) {
            options.listing = on;
            return this;
        }

        /** Serve and list dot-files; off by default. */
        public Builder showHidden(boolean on) {
            options.showHidden = on;
            return this;
        }

        /** Follow symbolic links that lead out of the root; off by default (such links are 404). */
        public Builder symlinksOutside(boolean on) {
            options.symlinksOutside = on;
            return this;
        }

        public Builder mimeTypes(MimeTypes types) {
            options.mimeTypes = Objects.requireNonNull(types);
            return this;
        }

        /** One more content type by extension, overriding the table. */
        public Builder mimeType(String extension, String type) {
            options.mimeTypes = options.mimeTypes.with(extension, type);
            return this;
        }

        /** A Cache-Control value for paths matching a glob (see {@link CacheControlRules}); first match wins. */
        public Builder cacheControl(String glob, String value) {
            options.cacheControl = options.cacheControl.add(glob, value);
            return this;
        }

        public Builder cacheControl(CacheControlRules rules) {
            options.cacheControl = Objects.requireNonNull(rules);
            return this;
        }

        /** The memory store; by default a private one of 64 MiB for files up to 1 MiB. */
        public Builder cache(MemoryCache cache) {
            options.cache = Objects.requireNonNull(cache);
            return this;
        }

        /** Files not in the store and larger than this leave with sendfile; smaller ones are copied; 16 KiB. */
        public Builder zeroCopyThreshold(long bytes) {
            options.zeroCopyThreshold = bytes;
            return this;
        }

        /** Serve {@code f.br}, {@code f.zst}, {@code f.gz} beside {@code f} to clients that accept them; on. */
        public Builder precompressed(boolean on) {
            options.precompressed = on;
            return this;
        }

        /** Gzip small compressible files once, into the store; on. */
        public Builder compressInCache(boolean on) {
            options.compressInCache = on;
            return this;
        }

        public StaticFiles build() throws IOException {
            return new StaticFiles(this);
        }
    }
}
