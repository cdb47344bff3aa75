package dev.brigade.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.api.Transaction;
import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The transactionDone hook: once per request, after the last byte left, with the bytes really sent. */
class AccessLogTest {

    private static final byte[] BIG = new byte[20 * 1024 * 1024];

    static {
        Arrays.fill(BIG, (byte) 'z');
    }

    private static TestServer start() {
        return TestServer.start(b -> b.loops(1)
                .get("/small", (req, res) -> res.header("X-Thing", "1").send("small body"))
                .get("/big", (req, res) -> res.send(BIG))
                .get("/chunked", (req, res) -> {
                    try (var out = res.output()) {
                        out.write("part one, ".getBytes());
                        out.flush();
                        out.write("part two".getBytes());
                    }
                })
                .get("/teapot", (req, res) -> res.status(418).send("short and stout"))
                .get("/never", (req, res) -> res.async())); // answers later, and never does
    }

    @Test
    void aRequestWhoseClientLeftBeforeAnyAnswerIsReportedAsNoResponse() throws Exception {
        try (TestServer ts = start(); RawClient c = ts.connect()) {
            c.send("GET /never HTTP/1.1\r\nHost: a\r\n\r\n");
            TestServer.await(() -> ts.server().requestsServed() == 1, Duration.ofSeconds(5), () -> "request read");
            c.reset();
            Transaction t = ts.nextTransaction(Duration.ofSeconds(5));
            assertThat(t.target()).isEqualTo("/never");
            assertThat(t.status()).as("no status was sent: not the 200 the response held").isZero();
            assertThat(t.completed()).isFalse();
            assertThat(t.bytesSent()).isZero();
        }
    }

    @Test
    void hookReportsEachRequestWithTheExactBytesWritten() throws Exception {
        try (TestServer ts = start(); RawClient c = ts.connect()) {
            c.send("GET /small HTTP/1.1\r\nHost: a\r\nUser-Agent: test-agent/1\r\nReferer: http://ref.example/\r\n\r\n");
            HttpMessage small = c.readResponse();
            c.send("GET /chunked HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpMessage chunked = c.readResponse();
            c.send("GET /teapot?x=1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            HttpMessage teapot = c.readResponse();

            Transaction t1 = ts.nextTransaction(Duration.ofSeconds(5));
            assertThat(t1.method()).isEqualTo("GET");
            assertThat(t1.target()).isEqualTo("/small");
            assertThat(t1.protocol()).isEqualTo("HTTP/1.1");
            assertThat(t1.status()).isEqualTo(200);
            assertThat(t1.bytesSent()).isEqualTo(small.raw().length);
            assertThat(t1.userAgent()).isEqualTo("test-agent/1");
            assertThat(t1.referer()).isEqualTo("http://ref.example/");
            assertThat(t1.completed()).isTrue();
            assertThat(t1.remote().getAddress().isLoopbackAddress()).isTrue();

            Transaction t2 = ts.nextTransaction(Duration.ofSeconds(5));
            assertThat(t2.target()).isEqualTo("/chunked");
            assertThat(t2.bytesSent()).as("chunk framing included").isEqualTo(chunked.raw().length);

            Transaction t3 = ts.nextTransaction(Duration.ofSeconds(5));
            assertThat(t3.status()).isEqualTo(418);
            assertThat(t3.protocol()).isEqualTo("HTTP/1.0");
            assertThat(t3.target()).isEqualTo("/teapot?x=1");
            assertThat(t3.bytesSent()).isEqualTo(teapot.raw().length);
            assertThat(t1.connectionId()).isEqualTo(t2.connectionId()).isEqualTo(t3.connectionId());
            assertThat(ts.drainTransactions()).as("exactly one report per request").isEmpty();
        }
    }

    @Test
    void hookFiresOnlyAfterTheLastByteOfALargeResponseLeft() throws Exception {
        try (TestServer ts = start(); RawClient c = ts.connect()) {
            c.socket().setReceiveBufferSize(32 * 1024);
            c.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n");
            Thread.sleep(500);
            assertThat(ts.drainTransactions()).as("20 MB cannot have left while the client does not read").isEmpty();

            HttpMessage r = c.readResponse();
            assertThat(r.body()).hasSize(BIG.length);
            Transaction t = ts.nextTransaction(Duration.ofSeconds(5));
            assertThat(t.completed()).isTrue();
            assertThat(t.bytesSent()).isEqualTo(r.raw().length);
        }
    }

    @Test
    void rejectedRequestIsReportedToo() throws Exception {
        try (TestServer ts = start(); RawClient c = ts.connect()) {
            c.send("GET / HTTP/2.0\r\nHost: a\r\n\r\n");
            HttpMessage r = c.readResponse();
            assertThat(r.status()).isEqualTo(505);
            Transaction t = ts.nextTransaction(Duration.ofSeconds(5));
            assertThat(t.status()).isEqualTo(505);
            assertThat(t.bytesSent()).isEqualTo(r.raw().length);
        }
    }
}
