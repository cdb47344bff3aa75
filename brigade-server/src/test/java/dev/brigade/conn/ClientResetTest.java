package dev.brigade.conn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.api.Transaction;
import dev.brigade.testing.HttpMessage;
import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client that resets its connection (SO_LINGER 0, then close) in the middle of a 20 MB response:
 * the server cancels what was set aside, reports the transaction as incomplete, closes the
 * connection, and serves the next client as if nothing happened.
 */
class ClientResetTest {

    private static final int SIZE = 20 * 1024 * 1024;
    private static final byte[] BIG = new byte[SIZE];
    private static final AtomicReference<CompletableFuture<Throwable>> PRODUCER_END = new AtomicReference<>();
    private static TestServer server;

    static {
        Arrays.fill(BIG, (byte) 'x');
    }

    @BeforeAll
    static void startServer() {
        server = TestServer.start(b -> b.loops(1)
                .get("/bytes", (req, res) -> res.send(BIG))
                .get("/stream", (req, res) -> {
                    try (OutputStream out = res.output()) {
                        for (int off = 0; off < SIZE; off += 64 * 1024) {
                            out.write(BIG, off, 64 * 1024);
                        }
                    }
                })
                .get("/thread", (req, res) -> {
                    OutputStream out = res.output();
                    CompletableFuture<Throwable> end = PRODUCER_END.get();
                    Thread.ofVirtual().start(() -> {
                        try (out) {
                            for (int off = 0; off < SIZE; off += 64 * 1024) {
                                out.write(BIG, off, 64 * 1024);
                                Thread.sleep(1); // a producer slower than memory, as real ones are
                            }
                            end.complete(null);
                        } catch (IOException | InterruptedException e) {
                            end.complete(e);
                        }
                    });
                })
                .get("/small", (req, res) -> res.send("small")));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void reset() {
        PRODUCER_END.set(new CompletableFuture<>());
        server.drainTransactions();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/bytes", "/stream", "/thread"})
    void resetMidResponseDoesNotDisturbTheNextClient(String path) throws Exception {
        assertNoWarnings(() -> resetMidResponse(path));
    }

    @Test
    void aClientLeavingWhileAWorkerStreamsIsOneQuietLineNotAFailure() throws Exception {
        byte[] piece = new byte[64 * 1024];
        AtomicReference<Thread> handler = new AtomicReference<>();
        try (TestServer ts = TestServer.start(b -> b.loops(1).bridge(dev.brigade.dispatch.Bridges.virtualThreads())
                .get("/endless", (req, res) -> {
                    handler.set(Thread.currentThread()); // a virtual thread per request: it ends after the server handled what the handler threw
                    try (OutputStream out = res.output()) {
                        for (int i = 0; i < 4096; i++) { // 256 MB at most: bounded, and far more than the client reads
                            out.write(piece); // blocks while the client is behind; throws once it left
                        }
                    }
                }))) {
            assertNoWarnings(() -> {
                try (RawClient c = ts.connect()) {
                    c.smallReceiveBuffer();
                    c.send("GET /endless HTTP/1.1\r\nHost: a\r\n\r\n");
                    int got = 0;
                    while (got < 256 * 1024) {
                        got += c.readWithin(Duration.ofSeconds(5)).length;
                    }
                    c.reset();
                }
                Transaction t = ts.nextTransaction(Duration.ofSeconds(10));
                assertThat(t.completed()).isFalse();
                ts.awaitNoConnections(Duration.ofSeconds(5));
                assertThat(handler.get().join(Duration.ofSeconds(10))).as("the handler ended").isTrue();
            });
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} and fails if the connection layer logged a warning or worse meanwhile. */
    private static void assertNoWarnings(Body body) throws Exception {
        java.util.List<java.util.logging.LogRecord> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger.getLogger("dev.brigade.conn").addHandler(capture);
        try {
            body.run();
        } finally {
            java.util.logging.Logger.getLogger("dev.brigade.conn").removeHandler(capture);
        }
        assertThat(warnings).as("a client leaving is the client's doing: no warning, no stack trace")
                .extracting(java.util.logging.LogRecord::getMessage).isEmpty();
    }

    private void resetMidResponse(String path) throws Exception {
        try (RawClient c = server.connect()) {
            c.smallReceiveBuffer();
            c.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
            int got = 0;
            while (got < 256 * 1024) {
                byte[] part = c.readWithin(Duration.ofSeconds(5));
                assertThat(part).as("response data keeps coming").isNotEmpty();
                got += part.length;
            }
            c.reset();
        }

        Transaction t = server.nextTransaction(Duration.ofSeconds(10));
        assertThat(t.target()).isEqualTo(path);
        assertThat(t.completed()).as("the response did not complete").isFalse();
        assertThat(t.bytesSent()).isGreaterThan(0).isLessThan(SIZE);
        server.awaitNoConnections(Duration.ofSeconds(5));
        if (path.equals("/thread")) {
            assertThat(PRODUCER_END.get().get(10, TimeUnit.SECONDS))
                    .as("the producer is told the connection is gone").isInstanceOf(IOException.class);
        }

        try (RawClient next = server.connect()) {
            next.send("GET /small HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpMessage r = next.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("small");
        }
        server.awaitNoConnections(Duration.ofSeconds(5));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/bytes", "/stream", "/thread"})
    void wholeLargeResponseArrivesWhenTheClientReadsIt(String path) throws Exception {
        // the control case: the same responses, read to the end, are complete and exact
        try (RawClient c = server.connect()) {
            c.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpMessage r = c.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body().length).isEqualTo(SIZE);
            assertThat(r.body()).isEqualTo(BIG);
        }
        Transaction t = server.nextTransaction(Duration.ofSeconds(10));
        assertThat(t.completed()).isTrue();
        assertThat(t.bytesSent()).isGreaterThan(SIZE);
    }
}
