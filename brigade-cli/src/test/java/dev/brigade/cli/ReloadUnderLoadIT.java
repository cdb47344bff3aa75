package dev.brigade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP under load, through {@code ./brigade serve --config FILE}: 20 reloads that add and remove a
 * virtual host while keep-alive clients and slow requests run; no request fails, each reload is
 * visible to the next new connection, and a bad file is one WARNING line while the old configuration
 * keeps serving.
 */
class ReloadUnderLoadIT {

    private static final int RELOADS = 20;
    private static final int FAST_CLIENTS = 4;
    private static final int SLOW_CLIENTS = 2;
    /** Bounds every client loop whatever happens. */
    private static final int MAX_REQUESTS_PER_CLIENT = 200_000;

    private static final Pattern RELOADED = Pattern.compile(" INFO reloaded \\S+: configuration (\\d+)");
    private static final Pattern REJECTED = Pattern.compile(" WARNING reload rejected, configuration (\\d+) stays: (.*)$");

    @TempDir
    Path dir;

    @Test
    void twentyReloadsAddingAndRemovingAHostUnderLoadFailNoRequest() throws Exception {
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("index.html"), "default site\n");
        Path added = Files.createDirectories(dir.resolve("added"));
        Files.writeString(added.resolve("index.html"), "added host\n");
        Path config = dir.resolve("brigade.yaml");
        String base = "port: 0\nbind: 127.0.0.1\naccess-log: 'off'\nroot: site\ndemo: true\n";
        String withHost = base + "hosts:\n  - names: [added.test]\n    root: added\n";
        write(config, base);

        AtomicBoolean stop = new AtomicBoolean();
        try (Launcher b = Launcher.start(dir, "serve", "--config", config.toString());
             ExecutorService clients = Executors.newFixedThreadPool(FAST_CLIENTS + SLOW_CLIENTS);
             AutoCloseable stopClients = () -> stop.set(true)) { // closed first: the pool's close waits for them
            int port = b.awaitBanner();
            AtomicLong ok = new AtomicLong();
            Semaphore fastDone = new Semaphore(0); // a permit per fast response, a permit per slow one
            Semaphore slowDone = new Semaphore(0);
            Queue<String> failures = new ConcurrentLinkedQueue<>();
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < FAST_CLIENTS; i++) {
                running.add(clients.submit(() -> load(port, "/", "default site\n", stop, ok, fastDone, failures)));
            }
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                running.add(clients.submit(() -> load(port, "/slow?ms=300", "slept 300 ms\n", stop, ok, slowDone, failures)));
            }

            long generation = 0;
            for (int i = 1; i <= RELOADS; i++) {
                // reload while the clients are busy: a fast response since the last reload, and every
                // fourth time a slow one, so that slow requests are in flight across the reloads
                fastDone.drainPermits();
                assertThat(fastDone.tryAcquire(30, TimeUnit.SECONDS)).as("fast clients progress; failures: %s", failures).isTrue();
                if (i % 4 == 0) {
                    slowDone.drainPermits();
                    assertThat(slowDone.tryAcquire(30, TimeUnit.SECONDS)).as("slow clients progress; failures: %s", failures).isTrue();
                }
                boolean hostOn = i % 2 == 1;
                write(config, hostOn ? withHost : base);
                b.signal("HUP");
                long g;
                try {
                    g = Long.parseLong(b.await(RELOADED, 60).group(1));
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\nthe server's threads:\n" + b.threadDump(), e);
                }
                assertThat(g).as("reload %d makes a new configuration", i).isGreaterThan(generation);
                generation = g;
                String answer = LauncherIT.rawGet(port, "/", "added.test");
                assertThat(answer).as("after reload %d, Host: added.test", i).startsWith("HTTP/1.1 200")
                        .endsWith(hostOn ? "\r\n\r\nadded host\n" : "\r\n\r\ndefault site\n");
            }
            // the last reload (20) removed the host; put it back, then try two bad files
            write(config, withHost);
            b.signal("HUP");
            generation = Long.parseLong(b.await(RELOADED, 60).group(1));

            write(config, withHost + "gzip: \"3\n"); // a YAML syntax error: a quote not closed
            b.signal("HUP");
            Matcher syntax = b.await(REJECTED, 60);
            assertThat(Long.parseLong(syntax.group(1))).isEqualTo(generation);
            assertThat(syntax.group(2)).startsWith(config + ":").contains("not valid YAML");
            assertThat(LauncherIT.rawGet(port, "/", "added.test")).as("the old configuration serves")
                    .endsWith("\r\n\r\nadded host\n");

            write(config, base + "frobnicate: 1\n"); // an unknown key
            b.signal("HUP");
            List<String> between = new ArrayList<>();
            Matcher unknown = b.await(REJECTED, 60, between);
            assertThat(between).as("a rejected reload is one line").isEmpty();
            assertThat(Long.parseLong(unknown.group(1))).isEqualTo(generation);
            assertThat(unknown.group(2)).isEqualTo(config + ":6: frobnicate: unknown key (keys are serve's long options without '--', and 'hosts')");
            assertThat(LauncherIT.rawGet(port, "/", "added.test")).as("the old configuration still serves")
                    .endsWith("\r\n\r\nadded host\n");

            write(config, base); // a good file again: since the rejection, only the server's own line of the swap
            b.signal("HUP");
            assertThat(Long.parseLong(b.await(RELOADED, 60, between).group(1))).isEqualTo(generation + 1);
            assertThat(between).singleElement().asString().endsWith(" INFO configuration " + (generation + 1) + " in use");
            assertThat(LauncherIT.rawGet(port, "/", "added.test")).endsWith("\r\n\r\ndefault site\n");

            stop.set(true);
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertThat(failures).as("failed requests").isEmpty();
            assertThat(ok.get()).as("requests served under load").isGreaterThan(RELOADS);
            System.out.println("reload under load: " + RELOADS + " reloads, " + ok.get() + " requests, 0 failed");

            b.signal("TERM");
            b.await(Pattern.compile("^brigade: stopped: "), 60);
            assertThat(b.awaitExit(60)).isZero();
            for (String l : b.seen()) {
                assertThat(l).doesNotContain("Exception").doesNotContain("\tat ");
            }
        }
    }

    /** Keep-alive GETs of {@code path} until {@code stop}, each a 200 with {@code body}; bounded in count and time. */
    private static void load(int port, String path, String body, AtomicBoolean stop, AtomicLong ok,
                             Semaphore done, Queue<String> failures) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        try (HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30)).build();
            for (int n = 0; n < MAX_REQUESTS_PER_CLIENT && !stop.get() && System.nanoTime() < deadline; n++) {
                try {
                    HttpResponse<String> r = c.send(req, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200 && r.body().equals(body)) {
                        ok.incrementAndGet();
                        done.release();
                    } else {
                        failures.add(path + ": " + r.statusCode() + " " + r.body());
                    }
                } catch (java.io.IOException e) {
                    failures.add(path + ": " + e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (failures.size() > 20) {
                    return; // enough to show what went wrong
                }
            }
        }
    }

    /** Replaces the file in one step, so the server never reads half of it. */
    private static void write(Path config, String yaml) throws Exception {
        Path tmp = Files.writeString(config.resolveSibling(config.getFileName() + ".new"), yaml);
        Files.move(tmp, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
