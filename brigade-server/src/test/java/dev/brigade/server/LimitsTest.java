package dev.brigade.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each size limit at its exact value and one byte beyond, through the socket: the request line
 * (8190 / 414), one field line (8190 / 431), the field count (100 / 431), the whole head (32 KiB / 431)
 * and the body (413).
 */
class LimitsTest {

    private static final int BODY_MAX = 1000;
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        server = TestServer.start(b -> b.loops(1).maxBodyBytes(BODY_MAX).fallback((req, res) ->
                req.body().thenAccept(body -> res.send("got " + body.length + " bytes for " + req.target().length()
                        + "-byte target\n"))));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static HttpMessage exchange(String request, int expectedStatus) {
        try (RawClient c = server.connect()) {
            c.send(request);
            HttpMessage r = c.readResponse();
            assertThat(r.status()).as(r.statusLine()).isEqualTo(expectedStatus);
            if (expectedStatus >= 400) {
                assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
                assertThat(c.readToEof()).as("connection closed after the error").isEmpty();
            } else {
                assertThat(r.header("Connection")).isNull();
            }
            return r;
        }
    }

    @ParameterizedTest(name = "request line of {0} bytes -> {1}")
    @CsvSource({"8190, 200", "8191, 414", "20000, 414"})
    void requestLineLimit(int lineBytes, int status) {
        String prefix = "GET /";
        String suffix = " HTTP/1.1";
        String line = prefix + "a".repeat(lineBytes - prefix.length() - suffix.length()) + suffix;
        assertThat(line).hasSize(lineBytes);
        HttpMessage r = exchange(line + "\r\nHost: a\r\n\r\n", status);
        if (status == 200) {
            assertThat(r.bodyText()).isEqualTo("got 0 bytes for " + (lineBytes - 13) + "-byte target\n");
        }
    }

    @ParameterizedTest(name = "field line of {0} bytes -> {1}")
    @CsvSource({"8190, 200", "8191, 431", "20000, 431"})
    void fieldLineLimit(int fieldBytes, int status) {
        String name = "X-Big: ";
        String field = name + "v".repeat(fieldBytes - name.length());
        assertThat(field).hasSize(fieldBytes);
        exchange("GET / HTTP/1.1\r\nHost: a\r\n" + field + "\r\n\r\n", status);
    }

    @ParameterizedTest(name = "{0} header fields -> {1}")
    @CsvSource({"100, 200", "101, 431"})
    void fieldCountLimit(int fields, int status) {
        StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 1; i < fields; i++) {
            head.append("X-F").append(i).append(": ").append(i).append("\r\n");
        }
        exchange(head.append("\r\n").toString(), status);
    }

    @ParameterizedTest(name = "{0} fields of 8000 bytes -> {1}")
    @CsvSource({"4, 200", "5, 431"})
    void wholeHeadLimit(int fields, int status) {
        // each field within the line limit, the count far within its limit: only the 32 KiB head limit applies
        StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < fields; i++) {
            head.append("X-Big").append(i).append(": ").append("v".repeat(7990)).append("\r\n");
        }
        exchange(head.append("\r\n").toString(), status);
    }

    @ParameterizedTest(name = "Content-Length {0} -> {1}")
    @CsvSource({"0, 200", "1000, 200", "1001, 413", "1000000, 413"})
    void contentLengthBodyLimit(int length, int status) {
        String body = "b".repeat(Math.min(length, BODY_MAX + 1));
        HttpMessage r = exchange("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + length + "\r\n\r\n" + body, status);
        if (status == 200) {
            assertThat(r.bodyText()).startsWith("got " + length + " bytes");
        }
    }

    @ParameterizedTest(name = "chunked body of {0} bytes -> {1}")
    @CsvSource({"1000, 200", "1001, 413"})
    void chunkedBodyLimit(int length, int status) {
        // two chunks, so that the limit is crossed by the second one
        int first = 600;
        String request = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(first) + "\r\n" + "c".repeat(first) + "\r\n"
                + Integer.toHexString(length - first) + "\r\n" + "c".repeat(length - first) + "\r\n0\r\n\r\n";
        HttpMessage r = exchange(request, status);
        if (status == 200) {
            assertThat(r.bodyText()).startsWith("got " + length + " bytes");
        }
    }
}
