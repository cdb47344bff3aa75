package dev.brigade.bench;

import dev.brigade.filter.Brigade;
import dev.brigade.filter.Bucket;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A brigade's life per response, as the output chain lives it: a brigade made, four buckets added
 * (head bytes, body, end of stream, end of request), looked at in place, set aside into an empty
 * brigade (a swap), and taken out again; and a pipelined batch of 16 such responses gathered into
 * one. Run as {@code ParserBenchmark} says, with {@code BrigadeBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BrigadeBenchmark {

    private final Bucket head = Bucket.Bytes.of(new byte[120]);
    private final Bucket body = new Bucket.Bytes(ByteBuffer.allocateDirect(13));
    private final Brigade aside = new Brigade();

    @Benchmark
    public int oneResponse() {
        Brigade b = new Brigade().add(head).add(body).add(Bucket.Eos.INSTANCE).add(Bucket.Flush.INSTANCE);
        int bytes = 0;
        for (int i = 0; i < b.size(); i++) {
            if (b.get(i) instanceof Bucket.Bytes data) {
                bytes += data.data().remaining();
            }
        }
        aside.takeAll(b);
        while (aside.poll() != null) {
            bytes++;
        }
        return bytes;
    }

    @Benchmark
    public int pipelinedBatchOf16() {
        for (int r = 0; r < 16; r++) {
            aside.takeAll(new Brigade().add(head).add(body).add(Bucket.Eos.INSTANCE).add(Bucket.Flush.INSTANCE));
        }
        int n = 0;
        while (aside.poll() != null) {
            n++;
        }
        return n;
    }
}
