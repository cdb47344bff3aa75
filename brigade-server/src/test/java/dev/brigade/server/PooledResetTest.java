package dev.brigade.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.dispatch.Bridges;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * seeds-spec item 8: a client resets during a 1 s pooled handler; the handler's late completion is
 * dropped and counted (its connection is gone), and the next client on the freed worker gets its
 * own answer. Buffers are checked by the leak detector after the class.
 */
class PooledResetTest {

    @Test
    void aCompletionForAConnectionThatResetIsDroppedCountedAndHarmless() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        try (TestServer ts = TestServer.start(b -> b.loops(1).bridge(Bridges.pool(1, 4))
                .get("/slow", (req, res) -> {
                    entered.countDown();
                    Thread.sleep(1000);
                    res.send("slow answer for " + req.queryParam("who"));
                    finished.countDown();
                }))) {
            long staleBefore = ts.server().staleCompletions();
            try (RawClient a = ts.connect()) {
                a.send("GET /slow?who=a HTTP/1.1\r\nHost: t\r\n\r\n");
                assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
                a.reset();
            }
            ts.awaitNoConnections(Duration.ofSeconds(5)); // the connection closed while its handler runs
            assertThat(finished.await(5, TimeUnit.SECONDS)).isTrue();
            TestServer.await(() -> ts.server().staleCompletions() == staleBefore + 1, Duration.ofSeconds(5),
                    () -> "stale completions: " + ts.server().staleCompletions());

            try (RawClient b = ts.connect()) {
                var m = b.readTimeout(Duration.ofSeconds(5)).send("GET /slow?who=b HTTP/1.1\r\nHost: t\r\n\r\n").readResponse();
                assertThat(m.status()).isEqualTo(200);
                assertThat(m.bodyText()).isEqualTo("slow answer for b");
            }
        }
    }
}
