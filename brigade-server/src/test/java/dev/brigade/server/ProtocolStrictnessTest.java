package dev.brigade.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9112 strictness through the real server: every ambiguous or malformed request is answered
 * with its status, the application never sees it, and the connection is closed after the answer
 * (the client reads the error response, then EOF).
 */
class ProtocolStrictnessTest {

    private static final AtomicInteger HANDLED = new AtomicInteger();
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start(b -> b.loops(1).fallback((req, res) -> {
            HANDLED.incrementAndGet();
            req.body().whenComplete((body, failure) -> res.send("handled\n"));
        }));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    static Stream<Arguments> malformedRequests() {
        return Stream.of(
                Arguments.of("Content-Length together with Transfer-Encoding", 400,
                        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("Transfer-Encoding before Content-Length", 400,
                        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n"),
                Arguments.of("differing repeated Content-Length", 400,
                        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
                Arguments.of("differing Content-Length values in one field", 400,
                        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\nhello!"),
                Arguments.of("Transfer-Encoding not ending in chunked", 400,
                        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n"),
                Arguments.of("Transfer-Encoding gzip alone", 400,
                        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n"),
                Arguments.of("unknown transfer coding gzip before chunked", 501,
                        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("unknown transfer coding foo before chunked", 501,
                        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: foo, chunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("obs-fold continuation line", 400,
                        "GET / HTTP/1.1\r\nHost: a\r\nX-Long: first\r\n second\r\n\r\n"),
                Arguments.of("obs-fold with a tab", 400,
                        "GET / HTTP/1.1\r\nHost: a\r\nX-Long: first\r\n\tsecond\r\n\r\n"),
                Arguments.of("whitespace before the colon", 400,
                        "GET / HTTP/1.1\r\nHost : a\r\n\r\n"),
                Arguments.of("tab before the colon of Transfer-Encoding", 400,
                        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding\t: chunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("bare CR inside a field value", 400,
                        "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n"),
                Arguments.of("bare CR ending the request line", 400,
                        "GET / HTTP/1.1\rHost: a\r\n\r\n"),
                Arguments.of("control character (SOH) in a value", 400,
                        "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u0001c\r\n\r\n"),
                Arguments.of("NUL in a value", 400,
                        "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u0000c\r\n\r\n"),
                Arguments.of("DEL in a value", 400,
                        "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u007fc\r\n\r\n"),
                Arguments.of("missing Host in HTTP/1.1", 400,
                        "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n"),
                Arguments.of("repeated Host", 400,
                        "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
                Arguments.of("repeated identical Host", 400,
                        "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n"),
                Arguments.of("HTTP/2.0 version", 505,
                        "GET / HTTP/2.0\r\nHost: a\r\n\r\n"),
                Arguments.of("garbage version: not the HTTP-version grammar", 400,
                        "GET / FOO/1.1\r\nHost: a\r\n\r\n"),
                Arguments.of("lower-case http version: the grammar is case-sensitive", 400,
                        "GET / http/1.1\r\nHost: a\r\n\r\n"),
                Arguments.of("invalid percent-encoding in the target", 400,
                        "GET /a%zzb HTTP/1.1\r\nHost: a\r\n\r\n"),
                Arguments.of("truncated percent-encoding in the target", 400,
                        "GET /a% HTTP/1.1\r\nHost: a\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("malformedRequests")
    void malformedRequestIsAnsweredWithItsStatusAndTheConnectionClosed(String rule, int status, String request) {
        int handledBefore = HANDLED.get();
        try (RawClient c = server.connect()) {
            // a valid request pipelined after the bad one must never be answered
            c.send(request + "GET /after HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpMessage r = c.readResponse();
            assertThat(r.status()).as("%s: %s", rule, r).isEqualTo(status);
            assertThat(r.header("Connection")).as(rule).isEqualToIgnoringCase("close");
            assertThat(r.header("Content-Length")).as(rule).isEqualTo(String.valueOf(r.body().length));
            assertThat(c.readToEof()).as("%s: nothing after the error response, then EOF", rule).isEmpty();
        }
        assertThat(HANDLED.get()).as("%s: the application never saw the request", rule).isEqualTo(handledBefore);
    }

    @Test
    void wellFormedRequestsAreServedOnTheSameServer() {
        // the control case: the same server answers valid requests of the same shapes
        try (RawClient c = server.connect()) {
            c.send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(200);
            c.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(c.readResponse().status()).isEqualTo(200);
            c.send("GET /a%20b HTTP/1.1\r\nHost: a\r\nX-A: b\tc\r\n\r\n");
            HttpMessage r = c.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Connection")).isNull();
        }
    }

    @Test
    void http10WithoutHostIsServed() {
        try (RawClient c = server.connect()) {
            c.send("GET / HTTP/1.0\r\n\r\n");
            HttpMessage r = c.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(c.awaitClose(Duration.ofSeconds(5))).isGreaterThanOrEqualTo(0);
        }
    }
}
