/**
 * Static files and the memory cache: what {@code brigade serve} does by default.
 *
 * <p>{@link dev.brigade.files.StaticFiles} is a {@code Handler}. A request target is decoded once,
 * strictly, segment by segment ({@code RequestPath}); the segments are mapped to a file under a
 * root that no {@code ..}, encoded dot, backslash, NUL or symbolic link can escape
 * ({@code PathMapper}); the file's entry comes from the {@link dev.brigade.files.MemoryCache}
 * (Squid's memory store: metadata plus, for small files, read-only pooled pages, LRU-bounded,
 * revalidated against the disk at most once a second) or from the disk ({@code FileLookup}).
 * {@code FileSender} evaluates the RFC 9110 preconditions and ranges and sends the body as buckets
 * through {@link dev.brigade.filter.BucketResponse}: page slices that each hold a reference until
 * written (so an evicted page outlives the write using it), file regions sent with sendfile, and
 * multipart/byteranges bodies with an exact Content-Length. Precompressed siblings ({@code .br},
 * {@code .zst}, {@code .gz}) and an in-memory gzip of small compressible files are chosen by
 * {@code Accept-Encoding}; larger files are left to the server's compression setting.
 * {@code DirectoryListing} renders listings (HTML sortable without JavaScript, or JSON).
 *
 * <p>Imports only the JDK and {@code api}, {@code filter}, {@code buffer}.
 */
package dev.brigade.files;
