package dev.brigade.conn;

import dev.brigade.api.BodyListener;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * {@code Request.body()}: reads a whole body piece by piece and collects it into one array, held
 * to its own limit (much smaller than the body limit: collecting is an opt-in for small bodies).
 * A declared length gets its exact array at once; a chunked body grows one. Loop thread only.
 */
final class BodyAggregator implements BodyListener {

    private final Exchange exchange;
    private final long maxBytes;
    private final CompletableFuture<byte[]> result;
    private byte[] bytes;
    private int length;

    BodyAggregator(Exchange exchange, CompletableFuture<byte[]> result, long declaredLength, long maxBytes) {
        this.exchange = exchange;
        this.maxBytes = maxBytes;
        this.result = result;
        this.bytes = new byte[(int) (declaredLength >= 0 ? declaredLength : Math.min(8 * 1024, maxBytes))];
    }

    @Override
    public void onChunk(ByteBuffer chunk) {
        int n = chunk.remaining();
        if (length + (long) n > maxBytes) {
            exchange.aggregateTooLarge(result, maxBytes);
            return;
        }
        if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(maxBytes, Math.max(2L * bytes.length, length + n)));
        }
        chunk.get(bytes, length, n);
        length += n;
        exchange.read(this);
    }

    @Override
    public void onEnd() {
        result.complete(length == bytes.length ? bytes : Arrays.copyOf(bytes, length));
    }

    @Override
    public void onError(Throwable failure) {
        result.completeExceptionally(failure);
    }
}
