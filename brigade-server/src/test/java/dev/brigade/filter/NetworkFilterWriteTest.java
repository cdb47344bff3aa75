package dev.brigade.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.net.SocketOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which write the network filter asks of the socket: a head that a file region follows goes by
 * {@link SocketOutput#writeBeforeFile} (held back by the epoll transport until the file's bytes join
 * it), anything else by a plain write; the bytes are the same either way.
 */
class NetworkFilterWriteTest {

    @TempDir
    Path dir;

    /** Takes everything, and notes which call brought what. */
    private static final class Calls implements SocketOutput {
        final List<String> calls = new ArrayList<>();
        final StringBuilder bytes = new StringBuilder();

        private int take(String call, ByteBuffer src) {
            int n = src.remaining();
            byte[] b = new byte[n];
            src.get(b);
            bytes.append(new String(b, StandardCharsets.US_ASCII));
            calls.add(call);
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            return take("write", src);
        }

        @Override
        public int writeBeforeFile(ByteBuffer src) {
            return take("writeBeforeFile", src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            long n = 0;
            for (int i = offset; i < offset + length; i++) {
                n += take("gather", srcs[i]);
            }
            return n;
        }

        @Override
        public long transferFrom(FileChannel file, long position, long count) throws IOException {
            ByteBuffer b = ByteBuffer.allocate((int) count);
            file.read(b, position);
            return take("file", b.flip());
        }
    }

    private static NetworkFilter filter(Calls socket) {
        return new NetworkFilter(socket, NetworkFilter.newGatherScratch(), NetworkFilter.newCoalesceScratch());
    }

    @Test
    void aHeadBeforeAFileIsHeldForIt() throws Exception {
        Files.writeString(dir.resolve("f"), "file body");
        try (FileChannel ch = FileChannel.open(dir.resolve("f"), StandardOpenOption.READ)) {
            Calls socket = new Calls();
            filter(socket).write(new Brigade().add(Bucket.Bytes.of("HEAD\r\n\r\n".getBytes(StandardCharsets.US_ASCII)))
                    .add(new Bucket.FileRegion(ch, 0, 9, () -> { })).add(Bucket.Flush.INSTANCE));
            assertThat(socket.calls).containsExactly("writeBeforeFile", "file");
            assertThat(socket.bytes).hasToString("HEAD\r\n\r\nfile body");
        }
    }

    @Test
    void aHeadWithABodyInMemoryIsAPlainWrite() throws Exception {
        Calls socket = new Calls();
        filter(socket).write(new Brigade().add(Bucket.Bytes.of("HEAD\r\n\r\n".getBytes(StandardCharsets.US_ASCII)))
                .add(Bucket.Bytes.of("body".getBytes(StandardCharsets.US_ASCII))).add(Bucket.Flush.INSTANCE));
        assertThat(socket.calls).containsExactly("write"); // coalesced into one
        assertThat(socket.bytes).hasToString("HEAD\r\n\r\nbody");
    }
}
