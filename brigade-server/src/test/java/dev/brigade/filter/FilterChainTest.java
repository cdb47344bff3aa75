package dev.brigade.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.buffer.BufferPool;
import dev.brigade.buffer.RefBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FilterChainTest {

    /** A filter that records its calls, keeps everything while told to, and yields like a good citizen. */
    static final class HoldingFilter extends OutputFilter {
        final List<String> log;
        boolean holding = true;

        HoldingFilter(String name, List<String> log) {
            super(name);
            this.log = log;
        }

        @Override
        public void write(Brigade in) throws IOException {
            log.add(name() + (in.isEmpty() ? ":kick" : ":data"));
            reinstate(in);
            if (holding || shouldYield()) {
                setaside(in);
            } else {
                passNext(in);
            }
        }
    }

    @Test
    void kicksGoOutermostFirstOnlyToFiltersHoldingDataAndStopWhenAllIsWritten() throws IOException {
        List<String> log = new ArrayList<>();
        RecordingChannel socket = new RecordingChannel(Integer.MAX_VALUE);
        FilterChain chain = new FilterChain(new NetworkFilter(socket));
        HoldingFilter inner = new HoldingFilter("inner", log);
        HoldingFilter outer = new HoldingFilter("outer", log);
        HoldingFilter idle = new HoldingFilter("idle", log);
        chain.addFirst(inner);
        chain.addFirst(idle);
        chain.addFirst(outer);
        // outer keeps a bucket; inner keeps one pushed in directly
        chain.write(new Brigade().add(Bucket.Bytes.of("abc".getBytes())));
        inner.write(new Brigade().add(Bucket.Bytes.of("xyz".getBytes())));
        idle.holding = false;
        log.clear();

        assertThat(chain.kick()).isFalse();
        assertThat(log).containsExactly("outer:kick", "inner:kick");

        outer.holding = false;
        inner.holding = false;
        log.clear();
        chain.kick();
        assertThat(log).as("outer yields while inner still holds data").containsExactly("outer:kick", "inner:kick");
        log.clear();
        chain.kick();
        assertThat(log).containsExactly("outer:kick", "idle:data", "inner:data");
        while (chain.pending()) {
            chain.kick();
        }
        log.clear();
        chain.kick();
        assertThat(log).as("no kicks once nothing is set aside").isEmpty();
        assertThat(socket.received.toString()).isEqualTo("xyzabc");
    }

    @Test
    void aRemovedFilterIsNeverKickedAndItsDataCompletesAsCancelled() throws IOException {
        List<String> log = new ArrayList<>();
        FilterChain chain = new FilterChain(new NetworkFilter(new RecordingChannel(Integer.MAX_VALUE)));
        HoldingFilter f = new HoldingFilter("f", log);
        chain.addFirst(f);
        List<WriteOutcome> outcomes = new ArrayList<>();
        chain.write(new Brigade().add(new Bucket.EndOfRequest(outcomes::add)));
        chain.remove(f);
        log.clear();
        chain.kick();
        assertThat(log).isEmpty();
        assertThat(outcomes).containsExactly(WriteOutcome.CANCELLED);
    }

    @Test
    void cancelWriteWithdrawsUnstartedBucketsOnceAndKeepsThePartlyWrittenOne() throws IOException {
        RecordingChannel socket = new RecordingChannel(3);
        NetworkFilter network = new NetworkFilter(socket);
        List<String> ends = new ArrayList<>();
        network.write(new Brigade()
                .add(new Bucket.Bytes(java.nio.ByteBuffer.wrap("hello".getBytes()), null, () -> ends.add("hello")))
                .add(new Bucket.Bytes(java.nio.ByteBuffer.wrap("world".getBytes()), null, () -> ends.add("world")))
                .add(new Bucket.EndOfRequest(o -> ends.add("eor:" + o)))
                .add(Bucket.Flush.INSTANCE));
        assertThat(socket.received.toString()).isEqualTo("hel");
        assertThat(network.cancelWrite()).isEqualTo(3); // world, end-of-request, flush
        assertThat(ends).containsExactly("world", "eor:CANCELLED");
        assertThat(network.queuedResponses()).isZero();
        socket.drainable(100);
        assertThat(network.flush()).isTrue();
        assertThat(socket.received.toString()).as("the started bucket still finishes: the stream stays whole").isEqualTo("hello");
        assertThat(ends).containsExactly("world", "eor:CANCELLED", "hello");
        // the connection is still usable
        network.write(new Brigade().add(Bucket.Bytes.of("!".getBytes())).add(Bucket.Flush.INSTANCE));
        assertThat(socket.received.toString()).isEqualTo("hello!");
    }

    @Test
    void closingAtRandomPointsCompletesEveryBucketExactlyOnceAndReleasesEveryBuffer() throws IOException {
        Random random = new Random(7);
        BufferPool pool = new BufferPool(4096, 64);
        for (int round = 0; round < 300; round++) {
            RecordingChannel socket = new RecordingChannel(random.nextInt(20_000));
            FilterChain chain = new FilterChain(new NetworkFilter(socket));
            Map<WriteOutcome, Integer> ends = new EnumMap<>(WriteOutcome.class);
            int eors = 0;
            List<RefBuf> buffers = new ArrayList<>();
            int writes = 1 + random.nextInt(6);
            for (int w = 0; w < writes; w++) {
                Brigade bb = new Brigade();
                for (int i = random.nextInt(5); i >= 0; i--) {
                    RefBuf buf = pool.acquire();
                    buf.buffer().limit(1 + random.nextInt(4096));
                    buffers.add(buf);
                    bb.add(new Bucket.Bytes(buf.buffer(), buf));
                }
                bb.add(new Bucket.EndOfRequest(o -> ends.merge(o, 1, Integer::sum)));
                eors++;
                if (random.nextBoolean()) {
                    bb.add(Bucket.Flush.INSTANCE);
                }
                chain.write(bb);
                if (random.nextInt(4) == 0) {
                    socket.drainable(random.nextInt(8000));
                    chain.kick();
                }
            }
            chain.discardAll(WriteOutcome.CLOSING); // the connection closes here
            assertThat(ends.values().stream().mapToInt(Integer::intValue).sum()).as("round " + round).isEqualTo(eors);
            for (RefBuf b : buffers) {
                assertThat(b.refCount()).isZero();
            }
        }
        assertThat(pool.stats().inUse()).isZero();
    }

    @Test
    void theBudgetCountsCapacitiesAndWritabilityHasHysteresis() throws IOException {
        RecordingChannel socket = new RecordingChannel(0); // takes nothing until told
        FilterChain chain = new FilterChain(new NetworkFilter(socket));
        chain.waterMarks(100, 50);
        assertThat(chain.writable()).isTrue();

        // 10 bytes of data in an array of 80: the array is what is held
        chain.write(new Brigade().add(new Bucket.Bytes(ByteBuffer.wrap(new byte[80], 0, 10))).add(Bucket.Flush.INSTANCE));
        assertThat(chain.setAsideMemoryBytes()).isEqualTo(80);
        assertThat(chain.writable()).isTrue();
        chain.write(new Brigade().add(Bucket.Bytes.of(new byte[30])).add(Bucket.Flush.INSTANCE));
        assertThat(chain.setAsideMemoryBytes()).isEqualTo(110);
        assertThat(chain.writable()).as("over the high water mark").isFalse();

        socket.drainable(35); // the 10 bytes of the first bucket and 25 of the second leave
        chain.kick();
        assertThat(chain.setAsideMemoryBytes()).as("a partly written bucket still holds its array").isEqualTo(30);
        assertThat(chain.writable()).as("under the low water mark again").isTrue();
    }

    @Test
    void betweenTheMarksWritabilityStaysWhatItWas() throws IOException {
        RecordingChannel socket = new RecordingChannel(0);
        FilterChain chain = new FilterChain(new NetworkFilter(socket));
        chain.waterMarks(100, 50);
        chain.write(new Brigade().add(Bucket.Bytes.of(new byte[60])).add(Bucket.Bytes.of(new byte[60])).add(Bucket.Flush.INSTANCE));
        assertThat(chain.writable()).isFalse();
        socket.drainable(60);
        chain.kick();
        assertThat(chain.setAsideMemoryBytes()).isEqualTo(60);
        assertThat(chain.writable()).as("60 is between the marks: still not writable").isFalse();
    }
}
