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
        try (TestServer warm = TestServer.start(b -> b.get("/fast", (req, res) -> res.send("fast")));
             RawClient c = warm.connect()) {
            c.send("GET /fast HTTP/1.1\r\nHost: t\r\n\r\n").readResponse(); // a cold first request is slow
        }
        logger.addHandler(capture);
        // two loops, one connection each (connections are spread round-robin): the sleepy job runs on
        // the other loop thread, so it cannot hide a fast job the detector failed to forget
        try (TestServer ts = TestServer.start(b -> b.loops(2).bridge(Bridges.inline(Duration.ofMillis(100)))
                .get("/fast", (req, res) -> res.send("fast"))
                .get("/sleepy", (req, res) -> {
                    Thread.sleep(400); // the mistake the detector exists for
                    res.send("slept");
                }));
             RawClient fast = ts.connect();
             RawClient sleepy = ts.connect()) {
            assertThat(fast.send("GET /fast HTTP/1.1\r\nHost: t\r\n\r\n").readResponse().bodyText()).isEqualTo("fast");
            assertThat(warnings).isEmpty();
            // the fast job started before the sleepy one: had it been reported, it would be by the time
            // the sleepy one is (the watchdog checks every running job each pass, every 50 ms)
            assertThat(sleepy.send("GET /sleepy HTTP/1.1\r\nHost: t\r\n\r\n").readResponse().bodyText()).isEqualTo("slept");
            TestServer.await(() -> !warnings.isEmpty(), Duration.ofSeconds(2), () -> "no warning");
            assertThat(warnings).as("the sleepy handler only").hasSize(1);
            assertThat(warnings.getFirst()).contains("GET /sleepy").contains("brigade-loop-").contains("Thread.sleep");
        } finally {
            logger.removeHandler(capture);
        }
    }
}
