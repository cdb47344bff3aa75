package dev.brigade.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.dispatch.Bridges;
import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A route on a bridge of its own ({@code Bridges.on}), through the public API: a blocking route on
 * virtual threads or a small pool while the host's other routes run inline on the loop.
 */
class RouteBridgeTest {

    @Test
    void aBlockingRouteRunsOnItsOwnBridgeWhileTheOthersRunInline() throws Exception {
        try (TestServer ts = TestServer.start(b -> b.loops(1)
                .get("/fast", (req, res) -> res.send(Thread.currentThread().getName() + " " + req.blockingAllowed()))
                .get("/users/{id}", Bridges.on(Bridges.virtualThreads(), (req, res) -> {
                    Thread.sleep(20); // blocking is fine here
                    res.send(req.pathParam("id") + " virtual=" + Thread.currentThread().isVirtual() + " " + req.blockingAllowed());
                })));
             RawClient c = ts.connect()) {
            c.send("GET /fast HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse().bodyText()).startsWith("brigade-loop-").endsWith(" false");
            c.send("GET /users/42 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse().bodyText()).isEqualTo("42 virtual=true true");
            c.send("HEAD /users/7 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse(true).status()).as("HEAD goes where GET goes").isEqualTo(200);
        }
    }

    @Test
    void aRoutesOwnPoolShedsItsLoadAndTheRestIsUntouched() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (TestServer ts = TestServer.start(b -> b.loops(1)
                .get("/fast", (req, res) -> res.send("fast"))
                .get("/report", Bridges.on(Bridges.pool(1, 0), (req, res) -> {
                    entered.countDown();
                    release.await(10, TimeUnit.SECONDS);
                    res.send("report");
                })));
             RawClient first = ts.connect();
             RawClient second = ts.connect();
             RawClient other = ts.connect()) {
            first.send("GET /report HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            second.send("GET /report HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpMessage shed = second.readResponse();
            assertThat(shed.status()).as("the route's pool of one, busy, no backlog").isEqualTo(503);
            other.send("GET /fast HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(other.readResponse().bodyText()).as("the host's inline routes go on").isEqualTo("fast");
            release.countDown();
            assertThat(first.readTimeout(Duration.ofSeconds(5)).readResponse().bodyText()).isEqualTo("report");
        } finally {
            release.countDown();
        }
    }
}
