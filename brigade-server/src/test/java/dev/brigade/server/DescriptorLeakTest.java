package dev.brigade.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.brigade.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every descriptor a transport opens is closed: after 1,000 connections (half closed by the client,
 * half by the server's {@code Connection: close}) the process holds the descriptors it held before,
 * and after a stop none of the server's own (listening sockets, pollers) are left. Linux only
 * ({@code /proc/self/fd}).
 */
class DescriptorLeakTest {

    private static final Path FDS = Path.of("/proc/self/fd");

    private static long openDescriptors() throws IOException {
        try (Stream<Path> s = Files.list(FDS)) {
            return s.count();
        }
    }

    @ParameterizedTest
    @EnumSource(value = SocketTransport.class, names = {"NIO", "AUTO"})
    void aThousandConnectionsLeaveNoDescriptorBehind(SocketTransport transport) throws Exception {
        assumeTrue(Files.isDirectory(FDS), "needs /proc/self/fd");
        long before = openDescriptors();
        try (TestServer ts = TestServer.start(b -> b.transport(transport).get("/", (req, res) -> res.send("ok")))) {
            long started = openDescriptors();
            for (int i = 0; i < 1000; i++) {
                try (Socket s = new Socket("127.0.0.1", ts.server().port())) {
                    OutputStream out = s.getOutputStream();
                    boolean serverCloses = i % 2 == 0;
                    out.write(("GET / HTTP/1.1\r\nHost: x\r\n" + (serverCloses ? "Connection: close\r\n" : "") + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    InputStream in = s.getInputStream();
                    if (serverCloses) {
                        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200").endsWith("ok");
                    } else {
                        byte[] head = in.readNBytes(12);
                        assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
                    }
                }
            }
            ts.awaitNoConnections(Duration.ofSeconds(20));
            // the client's sockets are closed too; the server holds what it held when it started
            assertThat(openDescriptors()).as("descriptors after 1,000 connections (at start: %d)", started)
                    .isLessThanOrEqualTo(started + 4);
        }
        TestServer.await(() -> {
            try {
                return openDescriptors() <= before + 4;
            } catch (IOException e) {
                return false;
            }
        }, Duration.ofSeconds(10), () -> "descriptors after stop, before start: " + before);
    }
}
