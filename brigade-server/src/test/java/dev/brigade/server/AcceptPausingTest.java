package dev.brigade.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.dispatch.Bridges;
import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * httpd's accept shedding: with every worker busy, the loops stop accepting (new connections wait
 * in the kernel backlog) and idle keep-alive connections are closed; accepting resumes when a
 * worker is free again.
 */
class AcceptPausingTest {

    @Test
    void saturatedWorkersPauseAcceptingAndCloseIdleKeepAlives() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        try (TestServer ts = TestServer.start(b -> b.loops(1).bridge(Bridges.pool(1, 4))
                .get("/block", (req, res) -> {
                    entered.countDown();
                    release.await(20, TimeUnit.SECONDS);
                    res.send("released");
                })
                .get("/quick", (req, res) -> res.send("quick")))) {
            RawClient idle = ts.connect();
            assertThat(idle.send("GET /quick HTTP/1.1\r\nHost: t\r\n\r\n").readResponse().status()).isEqualTo(200);

            RawClient blocker = ts.connect().send("GET /block HTTP/1.1\r\nHost: t\r\n\r\n");
            List<RawClient> waiting = new ArrayList<>();
            try {
                assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
                for (int i = 0; i < 10; i++) {
                    waiting.add(ts.connect()); // the kernel completes the handshake; the server need not accept
                }
                Thread.sleep(300);
                assertThat(ts.server().connectionsOpen()).as("accepting paused while the only worker is busy")
                        .isLessThanOrEqualTo(3);
                assertThat(idle.awaitClose(Duration.ofSeconds(5))).as("idle keep-alive closed under saturation")
                        .isNotNegative();

                release.countDown();
                assertThat(blocker.readResponse().bodyText()).isEqualTo("released");
                for (RawClient c : waiting) {
                    HttpMessage m = c.readTimeout(Duration.ofSeconds(10)).send("GET /quick HTTP/1.1\r\nHost: t\r\n\r\n").readResponse();
                    assertThat(m.bodyText()).isEqualTo("quick");
                }
            } finally {
                release.countDown();
                waiting.forEach(RawClient::close);
                blocker.close();
                idle.close();
            }
        }
    }

    @Test
    void aVirtualHostMayRunOnItsOwnBridge() throws Exception {
        try (TestServer ts = TestServer.start(b -> b.loops(1)
                .get("/where", (req, res) -> res.send(Thread.currentThread().getName()))
                .virtualHost("lazy.test", vh -> vh.bridge(Bridges.lazy(2, Duration.ofSeconds(5)))
                        .get("/where", (req, res) -> res.send(Thread.currentThread().getName()))))) {
            try (RawClient c = ts.connect()) {
                String plain = c.send("GET /where HTTP/1.1\r\nHost: other.test\r\n\r\n").readResponse().bodyText();
                String lazy = c.send("GET /where HTTP/1.1\r\nHost: lazy.test\r\n\r\n").readResponse().bodyText();
                assertThat(plain).startsWith("brigade-loop-");
                assertThat(lazy).startsWith("brigade-lazy-lazy");
            }
        }
    }
}
