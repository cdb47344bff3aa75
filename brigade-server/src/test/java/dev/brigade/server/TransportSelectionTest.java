package dev.brigade.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.brigade.net.epoll.EpollBackend;
import dev.brigade.testing.TestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * How a server's transport is chosen: the builder, else {@code -Dbrigade.transport}, else auto
 * (epoll where it can run). The test JVM runs with native access, so on Linux auto is epoll.
 */
class TransportSelectionTest {

    @Test
    void namesParseInAnyCaseAndAnythingElseSaysWhatIsAllowed() {
        assertThat(SocketTransport.parse("NIO")).isEqualTo(SocketTransport.NIO);
        assertThat(SocketTransport.parse(" epoll ")).isEqualTo(SocketTransport.EPOLL);
        assertThat(SocketTransport.parse("auto")).isEqualTo(SocketTransport.AUTO);
        assertThatThrownBy(() -> SocketTransport.parse("kqueue"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("'kqueue' is not a transport (nio, epoll or auto)");
    }

    @Test
    void autoIsEpollOnLinuxWithNativeAccessAndTheBuilderCanForceNio() throws Exception {
        try (TestServer nio = TestServer.start(b -> b.transport(SocketTransport.NIO).get("/", (req, res) -> res.send("nio")));
                TestServer auto = TestServer.start(b -> b.transport(SocketTransport.AUTO).get("/", (req, res) -> res.send("auto")))) {
            assertThat(nio.server().transport()).isEqualTo("nio");
            boolean epollHere = EpollBackend.unavailableReason() == null;
            assertThat(auto.server().transport()).isEqualTo(epollHere ? "epoll" : "nio");
            if (System.getProperty("os.name").startsWith("Linux")) {
                assertThat(EpollBackend.unavailableReason()).as("the test JVM enables native access").isNull();
            }
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (TestServer ts : new TestServer[] {nio, auto}) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ts.server().port() + "/")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void anExplicitEpollWhereItCannotRunFailsWithOneLineBeforeTakingAPort() {
        assumeTrue(EpollBackend.unavailableReason() != null, "epoll runs here");
        Server server = Server.builder().bind("127.0.0.1").port(0).transport(SocketTransport.EPOLL).build();
        assertThatThrownBy(server::start).isInstanceOf(TransportUnavailableException.class)
                .hasMessageStartingWith("the epoll transport cannot run here: ");
    }

    @Test
    void theStartedTransportIsKnownOnlyOnceStarted() {
        Server server = Server.builder().bind("127.0.0.1").port(0).build();
        assertThatThrownBy(server::transport).isInstanceOf(IllegalStateException.class);
        server.start();
        try {
            assertThat(server.transport()).isIn("nio", "epoll");
        } finally {
            server.stop(Duration.ofSeconds(2));
        }
    }
}
