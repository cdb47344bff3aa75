package dev.brigade.conn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.api.Response;
import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/** Suspended exchanges hold no thread, resume from any thread, and time out with 503. */
class SuspendTest {

    @Test
    void aThousandSuspendedLongPollsHoldNoThreadsAndAllResume() throws Exception {
        ConcurrentLinkedQueue<Response> parked = new ConcurrentLinkedQueue<>();
        try (TestServer ts = TestServer.start(b -> b.loops(1).get("/poll", (req, res) -> {
            res.suspend(Duration.ofSeconds(60));
            parked.add(res);
        }))) {
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            List<RawClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 1000; i++) {
                    clients.add(ts.connect().send("GET /poll HTTP/1.1\r\nHost: t\r\n\r\n"));
                }
                TestServer.await(() -> parked.size() == 1000, Duration.ofSeconds(20), () -> parked.size() + " parked");
                int threadsParked = ManagementFactory.getThreadMXBean().getThreadCount();
                assertThat(threadsParked - threadsBefore).as("threads added by 1000 suspended exchanges").isLessThanOrEqualTo(2);

                Thread resumer = Thread.ofPlatform().start(() -> parked.forEach(r -> r.send("resumed")));
                resumer.join();
                for (RawClient c : clients) {
                    HttpMessage m = c.readTimeout(Duration.ofSeconds(10)).readResponse();
                    assertThat(m.status()).isEqualTo(200);
                    assertThat(m.bodyText()).isEqualTo("resumed");
                }
            } finally {
                clients.forEach(RawClient::close);
            }
        }
    }

    @Test
    void aSuspendTimeoutAnswers503AndALateResumeIsHarmless() throws Exception {
        ConcurrentLinkedQueue<Response> parked = new ConcurrentLinkedQueue<>();
        try (TestServer ts = TestServer.start(b -> b.get("/poll", (req, res) -> {
            res.suspend(Duration.ofMillis(300));
            parked.add(res);
        }))) {
            try (RawClient c = ts.connect()) {
                long t0 = System.nanoTime();
                HttpMessage m = c.send("GET /poll HTTP/1.1\r\nHost: t\r\n\r\n").readResponse();
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(m.status()).isEqualTo(503);
                assertThat(m.header("Retry-After")).isNotNull();
                assertThat(ms).isBetween(250L, 3000L);
                parked.poll().send("too late"); // dropped: the server answered already
                HttpMessage next = c.send("GET /nothing HTTP/1.1\r\nHost: t\r\n\r\n").readResponse();
                assertThat(next.status()).as("the connection is still coherent").isEqualTo(404);
            }
        }
    }

    @Test
    void theHandlersTimeoutCallbackMayAnswerItself() throws Exception {
        try (TestServer ts = TestServer.start(b -> b.get("/poll", (req, res) ->
                res.suspend(Duration.ofMillis(200), r -> r.status(204).send())))) {
            try (RawClient c = ts.connect()) {
                assertThat(c.send("GET /poll HTTP/1.1\r\nHost: t\r\n\r\n").readResponse().status()).isEqualTo(204);
            }
        }
    }

    @Test
    void resumingAfterTheClientLeftIsDroppedAndCounted() throws Exception {
        ConcurrentLinkedQueue<Response> parked = new ConcurrentLinkedQueue<>();
        try (TestServer ts = TestServer.start(b -> b.get("/poll", (req, res) -> {
            res.suspend(Duration.ofSeconds(30));
            parked.add(res);
        }))) {
            try (RawClient c = ts.connect()) {
                c.send("GET /poll HTTP/1.1\r\nHost: t\r\n\r\n");
                TestServer.await(() -> parked.size() == 1, Duration.ofSeconds(5), () -> "parked");
                c.reset();
            }
            ts.awaitNoConnections(Duration.ofSeconds(5));
            long stale = ts.server().staleCompletions();
            parked.poll().send("nobody listens");
            TestServer.await(() -> ts.server().staleCompletions() == stale + 1, Duration.ofSeconds(5), () -> "stale count");
        }
    }

    @Test
    void aBandwidthLimitSpreadsAResponseOverTimeWithoutBusyWaiting() throws Exception {
        byte[] body = new byte[300_000];
        new java.util.Random(3).nextBytes(body);
        try (TestServer ts = TestServer.start(b -> b.bandwidthLimit(100_000).get("/file", (req, res) -> res.send(body)))) {
            try (RawClient c = ts.connect()) {
                long t0 = System.nanoTime();
                HttpMessage m = c.readTimeout(Duration.ofSeconds(20)).send("GET /file HTTP/1.1\r\nHost: t\r\n\r\n").readResponse();
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(m.body()).isEqualTo(body);
                assertThat(ms).as("300 KB at 100 KB/s").isBetween(2_000L, 6_000L);
            }
        }
    }
}
