package dev.brigade.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.api.Transaction;
import dev.brigade.server.Server;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A real {@link Server} on 127.0.0.1 and an ephemeral port, for integration tests. Records every
 * {@link Transaction} it reports, and stops the server on {@link #close()}.
 *
 * <pre>{@code
 * try (TestServer ts = TestServer.start(b -> b.get("/", (req, res) -> res.send("hi")))) {
 *     ... ts.port() ...
 * }
 * }</pre>
 */
public final class TestServer implements AutoCloseable {

    private final Server server;
    private final BlockingQueue<Transaction> transactions = new LinkedBlockingQueue<>();

    private TestServer(Consumer<Server.Builder> setup) {
        Server.Builder b = Server.builder().bind("127.0.0.1").port(0).loops(2);
        b.onTransactionDone(transactions::add);
        TestTransport.apply(b);
        setup.accept(b);
        this.server = b.build().start();
    }

    /** Builds (127.0.0.1, port 0, 2 loops unless {@code setup} says otherwise) and starts a server. */
    public static TestServer start(Consumer<Server.Builder> setup) {
        return new TestServer(setup);
    }

    public Server server() {
        return server;
    }

    /** The port tests talk to: the TLS port when the tests run over TLS ({@link TestTransport}). */
    public int port() {
        return TestTransport.port(server);
    }

    /** {@code http://127.0.0.1:PORT}, or https when the tests run over TLS. */
    public String base() {
        return TestTransport.base(server);
    }

    public URI uri(String pathAndQuery) {
        return TestTransport.uri(server, pathAndQuery);
    }

    /** An HTTP/1.1 client for this server's transport. */
    public java.net.http.HttpClient httpClient() {
        return TestTransport.httpClient().build();
    }

    public RawClient connect() {
        return RawClient.connect(port());
    }

    /** Waits for the next reported transaction; fails after {@code timeout}. */
    public Transaction nextTransaction(Duration timeout) throws InterruptedException {
        Transaction t = transactions.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(t).as("a transaction reported within %s", timeout).isNotNull();
        return t;
    }

    /** Waits for {@code n} transactions (in report order). */
    public List<Transaction> nextTransactions(int n, Duration timeout) throws InterruptedException {
        List<Transaction> out = new ArrayList<>(n);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < n) {
            long left = deadline - System.nanoTime();
            Transaction t = transactions.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            assertThat(t).as("transaction %d of %d reported within %s", out.size() + 1, n, timeout).isNotNull();
            out.add(t);
        }
        return out;
    }

    /** Transactions reported so far and not yet taken. */
    public List<Transaction> drainTransactions() {
        List<Transaction> out = new ArrayList<>();
        transactions.drainTo(out);
        return out;
    }

    /** Waits until the server has no open connection; fails after {@code timeout}. */
    public void awaitNoConnections(Duration timeout) {
        await(() -> server.connectionsOpen() == 0, timeout,
                () -> "connections still open: " + server.connectionsOpen());
    }

    /** Polls {@code condition} every 5 ms until it holds; fails with {@code what} after {@code timeout}. */
    public static void await(BooleanSupplier condition, Duration timeout, java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout + ": " + what.get());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    @Override
    public void close() {
        server.stop(Duration.ofSeconds(5));
    }
}
