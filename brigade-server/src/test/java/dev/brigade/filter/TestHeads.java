package dev.brigade.filter;

import dev.brigade.api.BodyListener;
import dev.brigade.api.Headers;
import dev.brigade.api.Request;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Response heads for filter tests driven without a server: a request of the given method, version and fields. */
final class TestHeads {

    private TestHeads() {
    }

    /** A 200 head with {@code contentType}, answering a GET that accepts gzip. */
    static Bucket.Head gzipAccepted(String contentType, long contentLength) {
        Headers response = new Headers().set("Content-Type", contentType);
        return new Bucket.Head(new FieldsOnly("GET", "HTTP/1.1", new Headers().set("Accept-Encoding", "gzip")),
                200, response, null, contentLength, true);
    }

    /** Stands in for the HTTP/1 encoder below filters under test: heads end here, the rest passes. */
    static OutputFilter headSink() {
        return new OutputFilter("head-sink") {
            @Override
            public void write(Brigade in) throws java.io.IOException {
                Brigade out = new Brigade();
                for (Bucket b; (b = in.poll()) != null; ) {
                    if (b instanceof Bucket.Head h) {
                        h.complete(WriteOutcome.COMPLETED);
                    } else {
                        out.add(b);
                    }
                }
                passNext(out);
            }
        };
    }

    /** A request that has a method, a version and fields, and nothing else. */
    record FieldsOnly(String method, String protocol, Headers headers) implements Request {
        @Override
        public boolean secure() {
            return false;
        }

        @Override
        public String target() {
            return "/";
        }

        @Override
        public String path() {
            return "/";
        }

        @Override
        public String query() {
            return "";
        }

        @Override
        public String queryParam(String name) {
            return null;
        }

        @Override
        public Map<String, List<String>> queryParams() {
            return Map.of();
        }

        @Override
        public String pathParam(String name) {
            return null;
        }

        @Override
        public String host() {
            return "test";
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 1);
        }

        @Override
        public boolean hasBody() {
            return false;
        }

        @Override
        public void read(BodyListener listener) {
            listener.onEnd();
        }

        @Override
        public CompletionStage<byte[]> body() {
            return java.util.concurrent.CompletableFuture.completedFuture(new byte[0]);
        }

        @Override
        public InputStream bodyStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public boolean blockingAllowed() {
            return false;
        }
    }
}
