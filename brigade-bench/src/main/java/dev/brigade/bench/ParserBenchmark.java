package dev.brigade.bench;

import dev.brigade.http1.Limits;
import dev.brigade.http1.RequestHead;
import dev.brigade.http1.RequestParser;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Request-head parsing throughput: one parser reused as a keep-alive connection would (reset
 * between requests), parsing from a direct buffer as the read path does.
 *
 * <ul>
 *   <li>{@code techEmpower}: the plaintext benchmark's request, ~170 bytes, 3 fields.</li>
 *   <li>{@code browser}: a browser navigation, ~700 bytes, 12 fields.</li>
 * </ul>
 *
 * Run after {@code mvn -pl brigade-server,brigade-bench -am package -DskipTests} (the shaded jar's
 * main class is the bench server, hence {@code -cp}):
 * {@code java -cp brigade-bench/target/brigade-bench.jar org.openjdk.jmh.Main ParserBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParserBenchmark {

    static final String TECHEMPOWER = "GET /plaintext HTTP/1.1\r\n"
            + "Host: tfb-server:8080\r\n"
            + "Accept: text/plain,text/html;q=0.9,application/xhtml+xml;q=0.9,application/xml;q=0.8,*/*;q=0.7\r\n"
            + "Connection: keep-alive\r\n"
            + "\r\n";

    static final String BROWSER = "GET /articles/2024/event-loops?ref=home&page=2 HTTP/1.1\r\n"
            + "Host: www.example.com\r\n"
            + "Connection: keep-alive\r\n"
            + "Cache-Control: max-age=0\r\n"
            + "sec-ch-ua: \"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\"\r\n"
            + "sec-ch-ua-mobile: ?0\r\n"
            + "sec-ch-ua-platform: \"Linux\"\r\n"
            + "Upgrade-Insecure-Requests: 1\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Accept-Language: en-US,en;q=0.9,fr;q=0.8\r\n"
            + "Cookie: session=6f1c2b8e9a0d4c7b; theme=dark; _ga=GA1.2.1234567890.1700000000\r\n"
            + "\r\n";

    private final RequestParser parser = new RequestParser(Limits.DEFAULT);
    private ByteBuffer techEmpower;
    private ByteBuffer browser;

    @Setup(Level.Trial)
    public void setUp() {
        techEmpower = direct(TECHEMPOWER);
        browser = direct(BROWSER);
        // Fail fast if a request stops parsing: a benchmark of the error path would mislead.
        if (parse(techEmpower) == null || parse(browser) == null) {
            throw new IllegalStateException("benchmark request rejected: " + parser.error());
        }
    }

    @Benchmark
    public RequestHead techEmpower() {
        return parse(techEmpower);
    }

    @Benchmark
    public RequestHead browser() {
        return parse(browser);
    }

    private RequestHead parse(ByteBuffer request) {
        request.clear();
        parser.reset();
        return parser.parse(request) == RequestParser.Result.HEAD_DONE ? parser.head() : null;
    }

    private static ByteBuffer direct(String request) {
        byte[] bytes = request.getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }
}
