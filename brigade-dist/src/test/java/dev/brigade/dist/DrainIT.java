package dev.brigade.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drain a load balancer needs, through the distribution's bin/brigade: on SIGTERM /readyz turns
 * 503 at once, a connection already open is still answered during --drain-delay, and only after that
 * is it closed; the process then exits 0. Runs once `serve` has --health and --drain-delay (the CLI
 * part of issue 10); skipped before.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DrainIT {

    @TempDir
    Path tmp;

    @Test
    void readinessFallsBeforeAnOpenConnectionIsClosed() throws Exception {
        Path tarball = Path.of(System.getProperty("brigade.dist"));
        assertThat(Proc.run(tmp, List.of("tar", "-xzf", tarball.toString())).exit()).isZero();
        String brigade = tmp.resolve("brigade-" + System.getProperty("brigade.version") + "/bin/brigade").toString();

        Path site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("hello.txt"), "hello\n");
        try (Proc.Server server = Proc.start(tmp, List.of(brigade, "serve", "--port", "0", "--bind", "127.0.0.1",
                "--root", site.toString(), "--access-log", "off", "--health", "--drain-delay", "2",
                "--shutdown-timeout", "5"));
             Socket held = new Socket("127.0.0.1", server.port())) {
            held.setSoTimeout(30_000); // a guard against a hang only: every wait below ends on an event
            assertThat(exchange(held, "/hello.txt", false).status()).isEqualTo(200);
            assertThat(get(server.port(), "/healthz").status()).isEqualTo(200);
            assertThat(get(server.port(), "/readyz").status()).isEqualTo(200);

            server.sigterm();
            // The signal arrives asynchronously: ask until the answer changes (each ask is a round trip).
            int ready = 200;
            for (int i = 0; i < 10_000 && ready == 200; i++) {
                ready = get(server.port(), "/readyz").status();
            }
            assertThat(ready).as("/readyz once SIGTERM has arrived").isEqualTo(503);
            assertThat(get(server.port(), "/healthz").status()).as("still alive while draining").isEqualTo(200);

            // Not ready, yet the connection that was already open is served normally (drain-delay).
            Response during = exchange(held, "/hello.txt", false);
            assertThat(during.status()).isEqualTo(200);
            assertThat(during.body()).isEqualTo("hello\n");
            assertThat(during.headers().getOrDefault("connection", "")).as("kept alive during the drain delay")
                    .doesNotContainIgnoringCase("close");

            // Only now, after the delay, does the drain close it.
            assertThat(held.getInputStream().read()).as("the held connection is closed by the drain").isEqualTo(-1);
            assertThat(server.awaitExit()).as(server.output().toString()).isZero();
        }
    }

    record Response(int status, Map<String, String> headers, String body) { }

    /** GET on a new connection that closes after the answer. */
    static Response get(int port, String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            return exchange(s, path, true);
        }
    }

    /** One GET on a connection, read to the end of its Content-Length body. */
    static Response exchange(Socket s, String path, boolean close) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the response head: " + head);
            }
            head.write(b);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }
}
