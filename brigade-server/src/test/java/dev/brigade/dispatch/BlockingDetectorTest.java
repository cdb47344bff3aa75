package dev.brigade.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The inline bridge's debug aid names a handler that blocks its loop, with where it blocks. */
class BlockingDetectorTest {

    @Test
    void aBlockingInlineHandlerIsReportedWithItsRequestAndStackAndAFastOneIsNot() throws Exception {
        List<String> warnings = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(BlockingDetector.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                warnings.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try (TestServer ts = TestServer.start(b -> b.bridge(Bridges.inline(Duration.ofMillis(100)))
                .get("/fast", (req, res) -> res.send("fast"))
                .get("/sleepy", (req, res) -> {
                    Thread.sleep(400); // the mistake the detector exists for
                    res.send("slept");
                }));
             RawClient c = ts.connect()) {
            assertThat(c.send("GET /fast HTTP/1.1\r\nHost: t\r\n\r\n").readResponse().bodyText()).isEqualTo("fast");
            Thread.sleep(200);
            assertThat(warnings).isEmpty();
            assertThat(c.send("GET /sleepy HTTP/1.1\r\nHost: t\r\n\r\n").readResponse().bodyText()).isEqualTo("slept");
            TestServer.await(() -> !warnings.isEmpty(), Duration.ofSeconds(2), () -> "no warning");
            assertThat(warnings).hasSize(1);
            assertThat(warnings.getFirst()).contains("GET /sleepy").contains("brigade-loop-").contains("Thread.sleep");
        } finally {
            logger.removeHandler(capture);
        }
    }
}
