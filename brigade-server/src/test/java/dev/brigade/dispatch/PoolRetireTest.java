package dev.brigade.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import org.junit.jupiter.api.RepeatedTest;

/**
 * A worker that retires is replaced before it stops taking work: with {@code pool:1:0} (one
 * worker, no backlog), a request pipelined right behind the one whose handler retired its worker
 * is served, not shed with 503 while the replacement starts. Repeated: the window is a race.
 */
class PoolRetireTest {

    @RepeatedTest(20)
    void theRequestRightBehindARetiringWorkerIsServed() {
        try (TestServer ts = TestServer.start(b -> b.loops(1).bridge(Bridges.pool(1, 0))
                .get("/retire", (req, res) -> {
                    PerThread.retire();
                    res.send("retired");
                })
                .get("/next", (req, res) -> res.send("next")));
             RawClient c = ts.connect()) {
            c.send("GET /retire HTTP/1.1\r\nHost: a\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.readResponse().bodyText()).isEqualTo("retired");
            var next = c.readResponse();
            assertThat(next.status()).as("the pool is never a worker short").isEqualTo(200);
            assertThat(next.bodyText()).isEqualTo("next");
        }
    }
}
