package dev.brigade.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.filter.InputFilter;
import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A connection input filter written against the public API: it strips HAProxy's PROXY protocol
 * (v1) line that a load balancer sends before the first request, so the HTTP/1 framing above it
 * sees plain HTTP, however the bytes are split across reads.
 */
class ConnectionInputFilterTest {

    /** Takes the first line off the stream; everything after it passes as it is. */
    static final class ProxyLineFilter extends InputFilter {
        private static final int LINE_MAX = 107; // the protocol's own bound
        private final StringBuilder line = new StringBuilder();
        private final List<String> seen;
        private boolean done;

        ProxyLineFilter(List<String> seen) {
            super("proxy-protocol");
            this.seen = seen;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int start = dst.position();
            int n = readNext(dst);
            if (done || n <= 0) {
                return n;
            }
            int end = start + n;
            for (int i = start; i < end; i++) {
                byte c = dst.get(i);
                line.append((char) c);
                if (c == '\n') {
                    done = true;
                    seen.add(line.toString().strip());
                    int rest = end - (i + 1);
                    for (int k = 0; k < rest; k++) {
                        dst.put(start + k, dst.get(i + 1 + k));
                    }
                    dst.position(start + rest);
                    return rest;
                }
            }
            if (line.length() > LINE_MAX) {
                throw new IOException("no PROXY line within " + LINE_MAX + " bytes");
            }
            dst.position(start); // all of it belonged to the preamble
            return 0;
        }
    }

    @Test
    void aProxyPreambleIsStrippedBeforeTheHttpFraming() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (TestServer ts = TestServer.start(b -> b.loops(1)
                .connectionInputFilter(() -> new ProxyLineFilter(seen))
                .get("/hi", (req, res) -> res.send("hi"))); RawClient whole = ts.connect(); RawClient split = ts.connect()) {
            whole.send("PROXY TCP4 203.0.113.7 10.0.0.1 56324 443\r\nGET /hi HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /hi HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(whole.readResponse().bodyText()).isEqualTo("hi");
            assertThat(whole.readResponse().bodyText()).as("later requests pass untouched").isEqualTo("hi");

            split.send("PROXY TCP4 198.51.100.2 10.0").send(".0.1 40000 443\r").send("\nGET /hi HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpMessage r = split.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(seen).containsExactlyInAnyOrder("PROXY TCP4 203.0.113.7 10.0.0.1 56324 443",
                    "PROXY TCP4 198.51.100.2 10.0.0.1 40000 443");
        }
    }

    @Test
    void withoutTheFilterThePreambleIsABadRequest() {
        try (TestServer ts = TestServer.start(b -> b.get("/hi", (req, res) -> res.send("hi"))); RawClient c = ts.connect()) {
            c.send("PROXY TCP4 203.0.113.7 10.0.0.1 56324 443\r\nGET /hi HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(400);
        }
    }
}
