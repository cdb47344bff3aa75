package dev.brigade.files;

import dev.brigade.api.Request;
import dev.brigade.api.Response;
import dev.brigade.buffer.LeakDetector;
import dev.brigade.filter.Brigade;
import dev.brigade.filter.Bucket;
import dev.brigade.filter.BucketResponse;
import dev.brigade.filter.WriteOutcome;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends one representation: validators and preconditions, then the whole of it (200), one range
 * (206 with Content-Range), several ({@code multipart/byteranges}, its length computed exactly so
 * it goes with Content-Length), or none that fit (416).
 *
 * <p>Bodies are buckets (through {@link BucketResponse}): slices of cached pages, each holding a
 * reference of its page until written; file regions sent with sendfile for large files; a heap
 * copy for small files not in the store. A full answer from the store also takes its header field
 * lines pre-encoded. A {@link Response} that is not a {@code BucketResponse} gets the same answers
 * through {@code sendFile} and byte arrays.
 */
final class FileSender {

    private final long zeroCopyThreshold;

    FileSender(long zeroCopyThreshold) {
        this.zeroCopyThreshold = zeroCopyThreshold;
    }

    /** The body of a variant: its store pages, or null to read the file. */
    interface Bodies {
        CachedBody body(FileEntry entry, Variant v);
    }

    /**
     * Answers with {@code v} of {@code entry}; false (nothing sent) if {@code v} lives only in memory
     * and was dropped meanwhile, so the caller picks another variant.
     */
    boolean send(Request request, Response response, FileEntry entry, Variant v, Bodies bodies) throws IOException {
        boolean head = request.method().equals("HEAD");
        switch (Preconditions.evaluate(request, v.etag(), v.codedEtag(), v.lastModifiedSeconds())) {
            case NOT_MODIFIED -> {
                validators(response, entry, v);
                response.status(304);
                if (v.coding() == null && response instanceof BucketResponse br) {
                    // The identity representation may be gzipped on the fly, and then its 304 must
                    // carry the coded ETag the 200 would carry: the type and length tell the
                    // compression filter whether it would have compressed (neither is a body).
                    response.header("Content-Type", entry.contentType());
                    br.sendBuckets(new Brigade(), v.size());
                } else {
                    response.send();
                }
                return true;
            }
            case PRECONDITION_FAILED -> {
                response.status(412).send("412 Precondition Failed\n");
                return true;
            }
            case PROCEED -> { }
        }
        long size = v.size();
        ByteRanges.Result ranges = request.header("Range") != null && request.method().equals("GET")
                && Preconditions.rangeApplies(request.header("If-Range"), v.etag(), v.lastModifiedSeconds())
                ? ByteRanges.parse(request.header("Range"), size) : ByteRanges.Result.IGNORE;
        if (ranges.unsatisfiable()) {
            response.status(416).header("Content-Range", "bytes */" + size).header("Accept-Ranges", "bytes")
                    .send("416 Range Not Satisfiable\n");
            return true;
        }
        CachedBody cached = bodies.body(entry, v);
        if (cached == null && v.file() == null) {
            return false;
        }
        Source src = new Source(cached, v);
        try {
            return ranges.ranges() == null ? sendFull(response, entry, v, src, head)
                    : sendRanges(response, entry, v, src, head, ranges.ranges());
        } finally {
            src.done();
        }
    }

    private boolean sendRanges(Response response, FileEntry entry, Variant v, Source src, boolean head,
                               List<ByteRanges.Range> list) throws IOException {
        long size = v.size();
        Brigade body = new Brigade();
        long total = 0;
        String type = entry.contentType();
        String contentRange = null;
        try {
            if (list.size() == 1) {
                ByteRanges.Range r = list.getFirst();
                contentRange = "bytes " + r.first() + "-" + r.last() + "/" + size;
                total = r.length();
                if (!head && !src.append(body, r.first(), r.length())) {
                    return false;
                }
            } else {
                String boundary = "brigade-" + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
                type = "multipart/byteranges; boundary=" + boundary;
                for (int i = 0; i < list.size(); i++) {
                    ByteRanges.Range r = list.get(i);
                    byte[] part = ((i == 0 ? "" : "\r\n") + "--" + boundary + "\r\nContent-Type: " + entry.contentType()
                            + "\r\nContent-Range: bytes " + r.first() + "-" + r.last() + "/" + size + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1);
                    total += part.length + r.length();
                    if (!head) {
                        body.add(Bucket.Bytes.of(part));
                        if (!src.append(body, r.first(), r.length())) {
                            body.completeAll(WriteOutcome.CANCELLED);
                            return false;
                        }
                    }
                }
                byte[] end = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
                total += end.length;
                if (!head) {
                    body.add(Bucket.Bytes.of(end));
                }
            }
        } catch (IOException | RuntimeException e) {
            body.completeAll(WriteOutcome.CANCELLED);
            throw e;
        }
        validators(response, entry, v);
        response.header("Accept-Ranges", "bytes").header("Content-Type", type);
        if (contentRange != null) {
            response.header("Content-Range", contentRange);
        }
        if (v.coding() != null) {
            response.header("Content-Encoding", v.coding());
        }
        response.status(206);
        return deliver(response, body, total);
    }

    private boolean sendFull(Response response, FileEntry entry, Variant v, Source src, boolean head) throws IOException {
        if (response instanceof BucketResponse br) {
            Brigade body = new Brigade();
            if (!head && !src.append(body, 0, v.size())) {
                return false;
            }
            if (src.cached != null) {
                br.rawHeaderFields(v.headerFields(entry.contentType(), entry.cacheControl(), entry.vary()));
            } else {
                representationHeaders(response, entry, v);
            }
            response.status(200);
            br.sendBuckets(body, v.size());
            return true;
        }
        representationHeaders(response, entry, v);
        response.status(200);
        if (src.cached == null && v.file() != null) {
            response.sendFile(v.file());
            return true;
        }
        return deliver(response, head ? new Brigade() : appended(src, 0, v.size()), v.size());
    }

    private static Brigade appended(Source src, long off, long len) throws IOException {
        Brigade b = new Brigade();
        src.append(b, off, len);
        return b;
    }

    /** Hands a body over, as buckets or (for a plain Response) copied into one array. */
    private static boolean deliver(Response response, Brigade body, long length) {
        if (response instanceof BucketResponse br) {
            br.sendBuckets(body, length);
            return true;
        }
        ByteBuffer all = ByteBuffer.allocate((int) length);
        Bucket b;
        while ((b = body.poll()) != null) {
            switch (b) {
                case Bucket.Bytes bytes -> all.put(bytes.data().duplicate());
                case Bucket.FileRegion region -> readFully(region, all);
                default -> { }
            }
            b.complete(WriteOutcome.COMPLETED);
        }
        response.send(all.rewind()); // whole length: zeros for HEAD, whose body the server drops
        return true;
    }

    private static void readFully(Bucket.FileRegion region, ByteBuffer into) {
        ByteBuffer window = into.slice(into.position(), (int) region.remaining());
        try {
            while (window.hasRemaining() && region.file().read(window, region.position() + window.position()) > 0) {
                // reading the region in full
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        into.position(into.position() + window.capacity());
    }

    static void validators(Response response, FileEntry entry, Variant v) {
        response.header("ETag", v.etag()).header("Last-Modified", v.lastModified());
        if (entry.cacheControl() != null) {
            response.header("Cache-Control", entry.cacheControl());
        }
        if (entry.vary()) {
            response.header("Vary", "Accept-Encoding");
        }
    }

    private static void representationHeaders(Response response, FileEntry entry, Variant v) {
        response.header("Content-Type", entry.contentType());
        validators(response, entry, v);
        response.header("Accept-Ranges", "bytes");
        if (v.coding() != null) {
            response.header("Content-Encoding", v.coding());
        }
    }

    /** Where a variant's bytes come from for one response: store pages, or the file opened once. */
    private final class Source {
        private final CachedBody cached;
        private final Variant v;
        private FileChannel channel;
        private LeakDetector.Tracker tracker; // with the channel; null unless tracked
        private final AtomicInteger regions = new AtomicInteger(1); // one for this source itself

        Source(CachedBody cached, Variant v) {
            this.cached = cached;
            this.v = v;
        }

        /** Appends buckets for a range; false if the cached body was dropped and there is no file. */
        boolean append(Brigade out, long off, long len) throws IOException {
            if (len == 0) {
                return true;
            }
            if (cached != null && cached.appendTo(out, off, len)) {
                return true;
            }
            if (v.file() == null) {
                return false;
            }
            if (channel == null) {
                channel = FileChannel.open(v.file(), StandardOpenOption.READ);
                tracker = LeakDetector.trackChannel(channel, v.file());
            }
            if (v.size() <= zeroCopyThreshold) {
                ByteBuffer copy = ByteBuffer.allocate((int) len);
                while (copy.hasRemaining() && channel.read(copy, off + copy.position()) > 0) {
                    // reading a small region in full
                }
                out.add(new Bucket.Bytes(copy.flip()));
                return true;
            }
            regions.incrementAndGet();
            FileChannel ch = channel;
            LeakDetector.Tracker t = tracker;
            out.add(new Bucket.FileRegion(ch, off, len, () -> release(ch, t)));
            return true;
        }

        /** This response has made all its buckets: the file closes when the last region completes. */
        void done() {
            if (channel != null) {
                release(channel, tracker);
            }
        }

        private void release(FileChannel ch, LeakDetector.Tracker t) {
            if (regions.decrementAndGet() == 0) {
                LeakDetector.close(ch, t);
            }
        }
    }
}
