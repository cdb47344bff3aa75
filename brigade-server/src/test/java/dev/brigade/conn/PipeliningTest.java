package dev.brigade.conn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pipelined requests sent in one write are answered in order, byte for byte. */
class PipeliningTest {

    private static final Pattern DATE = Pattern.compile("\r\nDate: ([^\r\n]*)\r\n");
    private static final Pattern IMF_FIXDATE = Pattern.compile(
            "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start(b -> b.loops(1)
                .get("/p/{n}", (req, res) -> res.send("response " + req.pathParam("n")))
                .get("/boom", (req, res) -> {
                    throw new IllegalStateException("handler failure on purpose");
                })
                .post("/echo", (req, res) -> req.body().thenAccept(res::send)));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** Replaces every Date value with "X" after checking that it is an IMF-fixdate. */
    private static String maskDates(String stream) {
        Matcher m = DATE.matcher(stream);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            assertThat(m.group(1)).matches(IMF_FIXDATE);
            m.appendReplacement(sb, "\r\nDate: X\r\n");
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String ok(String body, boolean close) {
        return "HTTP/1.1 200 OK\r\nDate: X\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                + body.length() + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n" + body;
    }

    @Test
    void tenPipelinedGetsInOneWriteAreAnsweredInOrderByteExact() {
        StringBuilder requests = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 1; i <= 10; i++) {
            boolean last = i == 10;
            requests.append("GET /p/").append(i).append(" HTTP/1.1\r\nHost: example.com\r\n")
                    .append(last ? "Connection: close\r\n" : "").append("\r\n");
            expected.append(ok("response " + i, last));
        }
        try (RawClient c = server.connect()) {
            c.send(requests.toString());
            String stream = new String(c.readToEof(), StandardCharsets.ISO_8859_1);
            assertThat(maskDates(stream)).isEqualTo(expected.toString());
        }
    }

    @Test
    void pipelinedRequestsWithBodiesStayFramed() {
        String requests = "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nfirst"
                + "GET /p/two HTTP/1.1\r\nHost: a\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nthi\r\n2\r\nrd\r\n0\r\n\r\n"
                + "GET /p/four HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
        String expected = "HTTP/1.1 200 OK\r\nDate: X\r\nContent-Length: 5\r\n\r\nfirst"
                + ok("response two", false)
                + "HTTP/1.1 200 OK\r\nDate: X\r\nContent-Length: 5\r\n\r\nthird"
                + ok("response four", true);
        try (RawClient c = server.connect()) {
            c.send(requests);
            assertThat(maskDates(new String(c.readToEof(), StandardCharsets.ISO_8859_1))).isEqualTo(expected);
        }
    }

    @Test
    void handlerThatThrowsYields500AndTheNextPipelinedRequestIsStillAnswered() {
        try (RawClient c = server.connect()) {
            c.send("GET /boom HTTP/1.1\r\nHost: a\r\n\r\nGET /p/after HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpMessage failed = c.readResponse();
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.bodyText()).doesNotContain("on purpose"); // no internals leak to the client
            HttpMessage next = c.readResponse();
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.bodyText()).isEqualTo("response after");
            assertThat(next.header("Connection")).isNull();
        }
    }

    @Test
    void pipelineSplitAcrossWritesMidLineIsParsedWhole() {
        try (RawClient c = server.connect()) {
            c.send("GET /p/1 HTTP/1.1\r\nHost: a\r\n\r\nGET /p/");
            assertThat(c.readResponse().bodyText()).isEqualTo("response 1");
            c.send("2 HTTP/1.1\r\nHo");
            c.send("st: a\r\n\r\n");
            assertThat(c.readResponse().bodyText()).isEqualTo("response 2");
        }
    }
    @Test
    void deepPipelineToAClientThatReadsLateIsAnsweredCompletelyInOrder() throws Exception {
        // 200 responses of ~10 KB: far beyond what the server queues (64 KiB) before it stops parsing
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            requests.append("GET /p/").append(i).append("?pad HTTP/1.1\r\nHost: a\r\n\r\n");
        }
        try (TestServer ts = TestServer.start(b -> b.loops(1).keepAlive(Duration.ofSeconds(5), 1000)
                .get("/p/{n}", (req, res) -> res.send(req.pathParam("n") + ":" + "x".repeat(10_000))));
             RawClient c = ts.connect()) {
            c.smallReceiveBuffer();
            c.send(requests.toString());
            Thread.sleep(300); // the server fills the socket and must wait for the reader
            for (int i = 0; i < 200; i++) {
                HttpMessage r = c.readResponse();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).startsWith(i + ":").hasSize(String.valueOf(i).length() + 1 + 10_000);
            }
            assertThat(c.readWithin(Duration.ofMillis(200))).as("nothing more").isEmpty();
        }
    }

    @Test
    void aPipelineToAClientThatDoesNotReadIsParsedOnlyAsFarAsTheOutputBudgetAllows() throws Exception {
        byte[] big = new byte[400_000];
        int n = 100; // 40 MB of answers: more than any kernel buffers take
        try (TestServer ts = TestServer.start(b -> b.loops(1).keepAlive(Duration.ofSeconds(30), 1000)
                .get("/big", (req, res) -> res.send(big)));
             RawClient c = ts.connect()) {
            c.smallReceiveBuffer();
            c.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n".repeat(n));
            TestServer.await(() -> ts.server().requestsServed() >= 2, Duration.ofSeconds(5), () -> "no request served");
            Thread.sleep(300); // a negative check needs a window: the server would parse them all at once
            assertThat(ts.server().requestsServed()).as("requests parsed while the client reads nothing")
                    .isLessThan(n / 2);
            for (int i = 0; i < n; i++) {
                try {
                    assertThat(c.readResponse().body()).hasSize(big.length);
                } catch (AssertionError e) {
                    throw new AssertionError("response " + i + " of " + n + " (requests served: "
                            + ts.server().requestsServed() + ")", e);
                }
            }
            assertThat(ts.server().requestsServed()).isEqualTo(n);
        }
    }
}
