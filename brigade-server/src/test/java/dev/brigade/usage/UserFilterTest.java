package dev.brigade.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.filter.Brigade;
import dev.brigade.filter.Bucket;
import dev.brigade.filter.OutputFilter;
import dev.brigade.filter.ResponseFilters;
import dev.brigade.filter.WriteOutcome;
import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * An application's own output filter, written and registered through the public API only (this
 * package sees nothing else): it rewrites a body as it passes, edits the head, adds to the end,
 * and yields when the client is slow, under the same contract as the server's own filters.
 */
class UserFilterTest {

    /** Upper-cases ASCII text a piece at a time and appends a footer; yields while downstream is backed up. */
    static final class ShoutFilter extends OutputFilter {
        private static final int PIECE = 16 * 1024;
        private final String footer;
        volatile boolean yielded;

        ShoutFilter(String footer) {
            super("shout");
            this.footer = footer;
        }

        @Override
        public void write(Brigade in) throws IOException {
            reinstate(in);
            Bucket b;
            while ((b = in.first()) != null) {
                if (shouldYield()) {
                    yielded = true;
                    break; // the client is slow: keep the rest until the server kicks this filter again
                }
                Brigade out = new Brigade();
                switch (b) {
                    case Bucket.Head head -> {
                        in.poll();
                        head.contentLength(-1); // the footer changes the length
                        head.headers().add("X-Shout", footer);
                        out.add(head);
                    }
                    case Bucket.Bytes bytes -> {
                        ByteBuffer data = bytes.data();
                        byte[] piece = new byte[Math.min(PIECE, data.remaining())];
                        data.get(piece);
                        for (int i = 0; i < piece.length; i++) {
                            if (piece[i] >= 'a' && piece[i] <= 'z') {
                                piece[i] -= 32;
                            }
                        }
                        out.add(Bucket.Bytes.of(piece));
                        if (!data.hasRemaining()) {
                            in.poll().complete(WriteOutcome.COMPLETED);
                        }
                    }
                    case Bucket.Eos eos -> {
                        in.poll();
                        out.add(Bucket.Bytes.of(footer.getBytes(StandardCharsets.US_ASCII))).add(eos);
                    }
                    default -> out.add(in.poll());
                }
                passNext(out); // piece by piece, so that shouldYield sees the socket's state
            }
            setaside(in);
        }
    }

    @Test
    void aRouteFilterRewritesTheBodyAndEditsTheHead() throws Exception {
        try (TestServer ts = TestServer.start(b -> b
                .get("/shout", ResponseFilters.around(10, () -> new ShoutFilter("!"), (req, res) -> res.send("hello, filters")))
                .get("/plain", (req, res) -> res.send("hello, filters")));
             HttpClient client = dev.brigade.testing.TestTransport.httpClient().build()) {
            HttpResponse<String> shouted = client.send(HttpRequest.newBuilder(ts.uri("/shout")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(shouted.body()).isEqualTo("HELLO, FILTERS!");
            assertThat(shouted.headers().firstValue("X-Shout")).hasValue("!");
            HttpResponse<String> plain = client.send(HttpRequest.newBuilder(ts.uri("/plain")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(plain.body()).as("other routes are not filtered").isEqualTo("hello, filters");
        }
    }

    @Test
    void serverAndHostFiltersRunInOrderOnEveryResponse() throws Exception {
        try (TestServer ts = TestServer.start(b -> b
                .outputFilter(2, () -> new ShoutFilter("[second]"))
                .outputFilter(1, () -> new ShoutFilter("[first]"))
                .virtualHost("other.test", vh -> vh.outputFilter(5, () -> new ShoutFilter("[host]"))
                        .get("/", (req, res) -> res.send("on the host")))
                .get("/", (req, res) -> res.send("default")));
             RawClient c = ts.connect()) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: other.test\r\n\r\n");
            HttpMessage first = c.readResponse();
            assertThat(first.bodyText()).as("order 1 sees the data first: its footer comes first, upper-cased by order 2")
                    .isEqualTo("DEFAULT[FIRST][second]");
            assertThat(first.header("Transfer-Encoding")).isEqualTo("chunked");
            HttpMessage second = c.readResponse();
            assertThat(second.bodyText()).isEqualTo("ON THE HOST[FIRST][SECOND][host]");
        }
    }

    @Test
    void aFilterYieldsToASlowClientAndFinishesByteExact() throws Exception {
        byte[] body = new byte[20 << 20];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        AtomicReference<ShoutFilter> made = new AtomicReference<>();
        try (TestServer ts = TestServer.start(b -> b.loops(1)
                .get("/big", ResponseFilters.around(0, () -> {
                    ShoutFilter f = new ShoutFilter("<end>");
                    made.set(f);
                    return f;
                }, (req, res) -> res.send(body)))
                .get("/hi", (req, res) -> res.send("hi")));
             RawClient slow = ts.connect();
             RawClient other = ts.connect()) {
            slow.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n");
            TestServer.await(() -> made.get() != null && made.get().yielded && made.get().hasSetAside(),
                    Duration.ofSeconds(10), () -> "the filter kept data aside while the client did not read");

            other.send("GET /hi HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(other.readResponse().bodyText()).as("the loop serves others meanwhile").isEqualTo("hi");

            HttpMessage r = slow.readResponse();
            byte[] expected = Arrays.copyOf(body, body.length + 5);
            for (int i = 0; i < body.length; i++) {
                expected[i] = (byte) (body[i] - 32);
            }
            System.arraycopy("<end>".getBytes(StandardCharsets.US_ASCII), 0, expected, body.length, 5);
            assertThat(r.body()).isEqualTo(expected);
        }
    }
}
