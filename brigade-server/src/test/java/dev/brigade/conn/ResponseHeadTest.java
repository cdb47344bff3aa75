package dev.brigade.conn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * What the server writes into every response head whatever the handler set: the current
 * {@code Date}, and the framing fields ({@code Content-Length}, {@code Transfer-Encoding},
 * {@code Connection}) from what it actually sends. A handler's own framing field must never reach
 * the wire: a second length or a chunked claim over a sized body would desynchronize the client.
 */
class ResponseHeadTest {

    @Test
    void dateIsTheCurrentTimeAsAnImfFixdate() {
        try (TestServer ts = TestServer.start(b -> b.get("/", (req, res) -> res.send("ok")));
             RawClient c = ts.connect()) {
            long before = Instant.now().getEpochSecond();
            c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpMessage r = c.readResponse();
            long after = Instant.now().getEpochSecond();
            String date = r.header("Date");
            assertThat(date).matches("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
            long sent = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
            assertThat(sent).as("Date %s", date).isBetween(before - 1, after + 1);
            assertThat(r.headers("Date")).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            Content-Length    | 999
            content-length    | 0
            Transfer-Encoding | chunked
            TRANSFER-ENCODING | gzip, chunked
            Connection        | close
            connection        | keep-alive, Upgrade
            Date              | Mon, 01 Jan 2001 00:00:00 GMT
            """)
    void aFramingFieldTheHandlerSetIsReplacedByTheServers(String name, String value) {
        try (TestServer ts = TestServer.start(b -> b.get("/", (req, res) -> {
                res.header(name, value);
                res.send("hello");
            }));
             RawClient c = ts.connect()) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"); // pipelined: framing must hold
            for (int i = 1; i <= 2; i++) {
                HttpMessage r = c.readResponse();
                assertThat(r.bodyText()).as("response %d", i).isEqualTo("hello");
                assertThat(r.headers("Content-Length")).as("response %d", i).containsExactly("5");
                assertThat(r.headers("Transfer-Encoding")).as("response %d", i).isEmpty();
                assertThat(r.headers("Connection")).as("response %d: kept alive, no field needed", i).isEmpty();
                assertThat(r.headers("Date")).as("response %d", i).hasSize(1).doesNotContain("Mon, 01 Jan 2001 00:00:00 GMT");
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            Content-Language | en
            Cache-Control    | no-store
            Trailer          | X-Checksum
            DNT              | 1
            Tk               | N
            X-Length         | 12
            """)
    void otherFieldsPassAsTheHandlerSetThem(String name, String value) {
        try (TestServer ts = TestServer.start(b -> b.get("/", (req, res) -> {
                res.header(name, value);
                res.send("hello");
            }));
             RawClient c = ts.connect()) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpMessage r = c.readResponse();
            assertThat(r.headers(name)).containsExactly(value);
            assertThat(r.headers("Content-Length")).containsExactly("5");
        }
    }
}
