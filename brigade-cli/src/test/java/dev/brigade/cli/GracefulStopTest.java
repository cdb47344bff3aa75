package dev.brigade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * `brigade serve` as a real process: SIGTERM lets an in-flight request finish, then the process
 * exits within its shutdown deadline.
 */
class GracefulStopTest {

    @Test
    void sigtermLetsAnInFlightRequestFinishAndExitsWithinTheDeadline() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "dev.brigade.cli.Main", "serve", "--port", "0", "--bind", "127.0.0.1", "--access-log", "off",
                "--shutdown-timeout", "5", "--status")
                .redirectErrorStream(true).start();
        try {
            int port = awaitPort(p);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow?ms=2000")).build(),
                    HttpResponse.BodyHandlers.ofString());
            awaitInFlight(client, port); // the request is in flight: its handler is waiting on the timer
            long t0 = System.nanoTime();
            p.destroy(); // SIGTERM
            HttpResponse<String> r = slow.get(10, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("slept 2000 ms\n");
            assertThat(r.headers().firstValue("Connection")).contains("close");
            assertThat(p.waitFor(8, TimeUnit.SECONDS)).as("process exits within its deadline").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(7));
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Polls /server-status.json until a connection besides the poll's own is in HANDLER or SUSPENDED:
     * the slow request has reached its handler.
     */
    private static void awaitInFlight(HttpClient client, int port) throws Exception {
        HttpRequest status = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/server-status.json"))
                .timeout(Duration.ofSeconds(10)).build();
        ObjectMapper json = new ObjectMapper();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String last = null;
        for (int i = 0; i < 2000 && System.nanoTime() < deadline; i++) {
            HttpResponse<String> r = client.send(status, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            last = r.body();
            JsonNode connections = json.readTree(last).path("total").path("connections");
            if (connections.path("HANDLER").asLong() + connections.path("SUSPENDED").asLong() >= 2) {
                return; // the poll's own connection is in HANDLER too
            }
            TimeUnit.MILLISECONDS.sleep(10); // a poll's interval, not a guess at how long anything takes
        }
        throw new AssertionError("the slow request never reached its handler; last status: " + last);
    }

    private static int awaitPort(Process p) throws Exception {
        Pattern url = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/");
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            Matcher m = url.matcher(line);
            if (m.find()) {
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> { })); // keep draining the pipe
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("server did not announce its port");
    }
}
