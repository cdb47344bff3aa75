package dev.brigade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.brigade.server.Server;
import dev.brigade.server.ServerStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The operator endpoints of {@code brigade serve}: the status page (seen in headless Chromium
 * during a bounded load run, and its JSON), the Prometheus metrics (checked by promtool), the
 * allow lists, and bad option values.
 */
class OpsEndpointsTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    static final Path ARTIFACTS = Path.of("target", "test-artifacts", "status");
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Server start(String... extra) throws Exception {
        Files.writeString(dir.resolve("hello.txt"), "hello\n");
        List<String> args = new ArrayList<>(List.of("serve", "--port", "0", "--bind", "127.0.0.1", "--loops", "2",
                "--root", dir.toString(), "--access-log", "off", "--demo"));
        args.addAll(List.of(extra));
        CommandLine cmd = new CommandLine(new Main());
        ServeCommand serve = (ServeCommand) cmd.parseArgs(args.toArray(String[]::new)).subcommand().commandSpec().userObject();
        return ServeCommandTest.start(serve, null);
    }

    private HttpResponse<String> get(Server server, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Polls the server's own numbers (every 5 ms, at most {@link #WAIT}) until {@code condition} holds. */
    private static void await(Server server, Predicate<ServerStats> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.test(server.stats())) {
            assertThat(System.nanoTime() - deadline).as("not within " + WAIT + ": " + what).isNegative();
            Thread.sleep(5);
        }
    }

    // ---- the status page ------------------------------------------------------------------------

    @Test
    void statusPageInChromiumDuringLoadShowsTheRunsStatesAndMatchesItsJson() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "chromium is not installed (apt-get install chromium)");
        // a keep-alive timeout that a slow browser start cannot outlast
        Server server = start("--status", "--bridge", "pool:2:16", "--keepalive-timeout", "60");
        ExecutorService load = Executors.newFixedThreadPool(3);
        AtomicBoolean stop = new AtomicBoolean();
        List<Socket> held = new ArrayList<>();
        try {
            // the idle keep-alive connection first, on its own: once the count says 1 it is this one
            // (during the load, the clients' connections between requests count too, and a count of
            // 1 could be theirs while this one is still finishing its response)
            Socket idle = connect(server, held);
            idle.getOutputStream().write("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            readUntil(idle, "Hello, World!\n");
            await(server, s -> state(s, "KEEPALIVE") == 1, "the idle connection in KEEPALIVE");
            // a bounded load: 3 keep-alive clients, each at most 3000 requests or 30 s, until told to stop
            List<Future<Integer>> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                clients.add(load.submit(() -> {
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    int n = 0;
                    while (!stop.get() && n < 3000 && System.nanoTime() < end) {
                        assertThat(get(server, n % 2 == 0 ? "/hello.txt" : "/hello").statusCode()).isEqualTo(200);
                        n++;
                    }
                    return n;
                }));
            }
            // the other states the run holds still: a head half sent, a parked exchange
            connect(server, held).getOutputStream().write("GET /hello HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
            connect(server, held).getOutputStream().write("GET /poll HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            await(server, s -> state(s, "KEEPALIVE") >= 1 && state(s, "READ_REQUEST_LINE") >= 1
                    && state(s, "SUSPENDED") >= 1 && s.total().traffic().requests() >= 50, "the run's states");

            String dom = chromium("--dump-dom", "http://127.0.0.1:" + server.port() + "/server-status");
            Map<String, Long> page = dataKeys(dom);
            assertThat(page.get("total.KEEPALIVE")).as("idle keep-alive connections on the page: %s", page).isPositive();
            assertThat(page.get("total.READ_REQUEST_LINE")).as("a head being read").isPositive();
            assertThat(page.get("total.SUSPENDED")).as("the parked /poll").isPositive();
            assertThat(page.get("total.requests")).isGreaterThanOrEqualTo(50);
            assertThat(page.get("cache.hits")).as("/hello.txt comes from the memory cache").isPositive();
            assertThat(page.get("bridge.0.completed")).as("the pool ran the handlers").isPositive();
            assertThat(dom).contains("<meta http-equiv=\"refresh\" content=\"5\">").doesNotContain("<script");

            // the JSON of the snapshot the browser rendered, parsed by a real parser: every number agrees
            HttpResponse<String> json = get(server, "/server-status.json?snapshot=" + page.get("snapshot"));
            assertThat(json.statusCode()).isEqualTo(200);
            assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonNode root = new ObjectMapper().readTree(json.body());
            assertThat(page).hasSizeGreaterThan(60);
            page.forEach((key, value) -> assertThat(jsonValue(root, key)).as(key).isEqualTo(value));

            stop.set(true);
            for (Future<Integer> c : clients) {
                assertThat(c.get(40, TimeUnit.SECONDS)).isPositive();
            }

            // a screenshot at a fixed size; it proves the page renders at that size, not what it looks like:
            // the sections are checked in the DOM the same browser built from the same URL
            Files.createDirectories(ARTIFACTS);
            Path png = ARTIFACTS.resolve("server-status.png").toAbsolutePath();
            Files.deleteIfExists(png);
            String url = "http://127.0.0.1:" + server.port() + "/server-status";
            chromium("--screenshot=" + png, "--window-size=1200,900", url);
            byte[] image = Files.readAllBytes(png);
            assertThat(new String(image, 1, 3, StandardCharsets.ISO_8859_1)).isEqualTo("PNG");
            assertThat(pngSize(image)).containsExactly(1200, 900);
            assertThat(image.length).as("more than a blank page").isGreaterThan(20_000);
            assertThat(headings(chromium("--dump-dom", url))).containsExactly("Brigade status", "Traffic",
                    "Connections by state", "Responses and timeouts", "Bridges", "File cache");
        } finally {
            stop.set(true);
            load.shutdownNow();
            for (Socket s : held) {
                s.close();
            }
            server.stop(Duration.ofSeconds(2));
        }
    }

    private static long state(ServerStats s, String state) {
        return s.total().connections().get(state);
    }

    /** Every {@code data-key} cell of the page, with its number. */
    static Map<String, Long> dataKeys(String dom) {
        Map<String, Long> out = new HashMap<>();
        Matcher m = Pattern.compile("data-key=\"([^\"]+)\"[^>]*>(\\d+)<").matcher(dom);
        while (m.find()) {
            assertThat(out.put(m.group(1), Long.parseLong(m.group(2)))).as("one cell per key: " + m.group(1)).isNull();
        }
        return out;
    }

    /** The JSON value a page key names (the page's keys follow the JSON's structure). */
    static long jsonValue(JsonNode root, String key) {
        String[] p = key.split("\\.");
        JsonNode n = switch (p[0]) {
            case "snapshot", "configGeneration", "staleCompletions" -> root.get(p[0]);
            case "cache" -> root.get("cache").get(p[1]);
            case "total" -> loopValue(root.get("total"), p[1]);
            case "traffic" -> root.get("total").get(p[1]);
            case "loop" -> loopValue(root.get("loops").get(Integer.parseInt(p[1])), p[2]);
            case "byStatusClass", "byMethod", "timeouts" -> root.get("total").get(p[0]).get(p[1]);
            case "bridge" -> p.length == 3 ? root.get("bridges").get(Integer.parseInt(p[1])).get(p[2])
                    : root.get("bridges").get(Integer.parseInt(p[1])).get("hosts").get(p[3]).get(p[4]);
            default -> null;
        };
        assertThat(n).as("the JSON has " + key).isNotNull();
        return n.asLong();
    }

    private static JsonNode loopValue(JsonNode loop, String name) {
        JsonNode direct = loop.get(name);
        return direct != null ? direct : loop.get("connections").get(name);
    }

    static List<String> headings(String dom) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<h[12][^>]*>([^<]+)</h[12]>").matcher(dom);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Width and height from a PNG's IHDR chunk. */
    static List<Integer> pngSize(byte[] png) {
        var b = java.nio.ByteBuffer.wrap(png);
        return List.of(b.getInt(16), b.getInt(20));
    }

    private static Socket connect(Server server, List<Socket> held) throws Exception {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(10_000);
        held.add(s);
        return s;
    }

    private static void readUntil(Socket s, String end) throws Exception {
        var got = new StringBuilder();
        var in = s.getInputStream();
        while (!got.toString().endsWith(end)) {
            int c = in.read();
            assertThat(c).as("response so far: " + got).isNotNegative();
            got.append((char) c);
        }
    }

    private String chromium(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + dir.resolve("chromium-profile")));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(p.exitValue()).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    // ---- metrics -----------------------------------------------------------------------------

    @Test
    void metricsPassPromtoolAndCountTheRequestsMade() throws Exception {
        Server server = start("--metrics", "--metrics-path", "/ops/metrics");
        try {
            for (int i = 0; i < 3; i++) {
                assertThat(get(server, "/hello.txt").statusCode()).isEqualTo(200);
            }
            assertThat(get(server, "/missing").statusCode()).isEqualTo(404);
            HttpResponse<String> posted = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/echo")).POST(HttpRequest.BodyPublishers.ofString("ping")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(posted.body()).isEqualTo("ping");
            // a transaction ends once its last byte was written: wait for the fifth before scraping
            await(server, s -> s.total().traffic().requests() == 5, "five transactions ended");

            HttpResponse<String> r = get(server, "/ops/metrics");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
            String text = r.body();
            promtoolAccepts(text);

            Map<String, Double> v = samples(text);
            assertThat(v).containsEntry("brigade_http_requests_total{method=\"GET\"}", 4.0)
                    .containsEntry("brigade_http_requests_total{method=\"POST\"}", 1.0)
                    .containsEntry("brigade_http_responses_total{status_class=\"2xx\"}", 4.0)
                    .containsEntry("brigade_http_responses_total{status_class=\"4xx\"}", 1.0)
                    .containsEntry("brigade_http_request_duration_seconds_count", 5.0)
                    .containsEntry("brigade_http_request_duration_seconds_bucket{le=\"+Inf\"}", 5.0)
                    .containsEntry("brigade_http_response_size_bytes_count", 5.0)
                    .containsEntry("brigade_timeouts_total{kind=\"header\"}", 0.0)
                    .containsEntry("brigade_draining", 0.0);
            assertThat(v.get("brigade_cache_lookups_total{result=\"hit\"}")).as("/hello.txt again, from the cache")
                    .isGreaterThanOrEqualTo(2.0);
            assertThat(v.get("brigade_http_sent_bytes_total"))
                    .isEqualTo(v.get("brigade_http_response_size_bytes_sum")).isGreaterThan(500.0);
            assertThat(v.get("brigade_connections{loop=\"0\",state=\"handler\"}")
                    + v.get("brigade_connections{loop=\"1\",state=\"handler\"}"))
                    .as("the scrape's own connection, in HANDLER while the page is made").isEqualTo(1.0);
            assertThat(get(server, "/metrics").statusCode()).as("only the configured path").isEqualTo(404);
        } finally {
            server.stop(Duration.ofSeconds(2));
        }
    }

    private static void promtoolAccepts(String exposition) throws Exception {
        assumeTrue(Files.isExecutable(PROMTOOL), "promtool is not installed (apt-get install prometheus)");
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as("promtool's findings").isEmpty();
        assertThat(p.exitValue()).isZero();
    }

    /** Sample lines of the text format ({@code name{labels} value}), after promtool validated the syntax. */
    static Map<String, Double> samples(String text) {
        Map<String, Double> out = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return out;
    }

    // ---- allow lists and bad values -----------------------------------------------------------

    @Test
    void anAllowListThatExcludesTheClientRefusesItAndOneThatIncludesItServesIt() throws Exception {
        Server refusing = start("--status", "--status-allow", "10.0.0.0/8", "--metrics", "--metrics-allow", "192.0.2.7");
        try {
            for (String path : List.of("/server-status", "/server-status.json", "/metrics")) {
                assertThat(get(refusing, path).statusCode()).as(path + " from 127.0.0.1").isEqualTo(403);
            }
        } finally {
            refusing.stop(Duration.ofSeconds(2));
        }
        Server allowing = start("--status", "--status-allow", "10.0.0.0/8", "--status-allow", "127.0.0.1/32",
                "--metrics", "--metrics-allow", "::1", "--metrics-allow", "127.0.0.0/8");
        try {
            for (String path : List.of("/server-status", "/server-status.json", "/metrics")) {
                assertThat(get(allowing, path).statusCode()).as(path + " from 127.0.0.1").isEqualTo(200);
            }
        } finally {
            allowing.stop(Duration.ofSeconds(2));
        }
        Server byDefault = start("--status");
        try {
            assertThat(get(byDefault, "/server-status").statusCode()).as("loopback, by default").isEqualTo(200);
            assertThat(get(byDefault, "/metrics").statusCode()).as("not asked for").isEqualTo(404);
        } finally {
            byDefault.stop(Duration.ofSeconds(2));
        }
    }

    @Test
    void allowListsMatchAddressBlocks() {
        AllowList list = AllowList.of(List.of("10.1.0.0/16", "2001:db8::/32", "192.0.2.9"));
        assertThat(list.allows(address("10.1.255.3"))).isTrue();
        assertThat(list.allows(address("10.2.0.1"))).isFalse();
        assertThat(list.allows(address("2001:db8:1::5"))).isTrue();
        assertThat(list.allows(address("2001:db9::5"))).isFalse();
        assertThat(list.allows(address("192.0.2.9"))).isTrue();
        assertThat(list.allows(address("192.0.2.10"))).isFalse();
        assertThat(list.allows(address("127.0.0.1"))).as("a list replaces the loopback default").isFalse();
        assertThat(AllowList.loopbackOnly().allows(address("::1"))).isTrue();
        assertThat(AllowList.loopbackOnly().allows(address("10.0.0.1"))).isFalse();
        assertThat(AllowList.of(List.of("0.0.0.0/0")).allows(address("203.0.113.5"))).isTrue();
    }

    private static java.net.InetAddress address(String literal) {
        return java.net.InetAddress.ofLiteral(literal);
    }

    @Test
    void badValuesAreOneLineUsageErrors() {
        Map<List<String>, String> cases = Map.of(
                List.of("--status-allow", "10.0.0.300/8"), "--status-allow '10.0.0.300/8' is not an IP address or CIDR block",
                List.of("--status-allow", "10.0.0.0/33"), "--status-allow '10.0.0.0/33': the prefix length must be 0..32",
                List.of("--metrics-allow", "localhost"), "--metrics-allow 'localhost' is not an IP address or CIDR block",
                List.of("--metrics-path", "metrics"), "--metrics-path 'metrics' must be a plain path starting with '/'");
        cases.forEach((args, message) -> {
            var err = new ByteArrayOutputStream();
            List<String> all = new ArrayList<>(List.of("serve"));
            all.addAll(args);
            int exit = Main.commandLine().setErr(new PrintWriter(err, true)).execute(all.toArray(String[]::new));
            String text = err.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(String.join(" ", args)).isEqualTo(2);
            assertThat(text.lines().toList()).as(String.join(" ", args)).hasSize(1);
            assertThat(text).as(String.join(" ", args)).startsWith("brigade serve: " + message);
            assertThat(text).doesNotContain("Exception").doesNotContain("\tat ");
        });
    }
}
