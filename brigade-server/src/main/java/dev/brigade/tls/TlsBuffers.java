package dev.brigade.tls;

import dev.brigade.buffer.BufferPool;
import dev.brigade.buffer.SizeClassPools;
import java.nio.ByteBuffer;

/**
 * The buffers the TLS connections of one loop share: pools for records (received ciphertext,
 * decrypted overflow, full outgoing records), size classes for small outgoing records, and
 * scratch space used within one call. Loop thread only, except releases.
 */
final class TlsBuffers {

    /** Plaintext below this is gathered with what follows into one record instead of a record each. */
    static final int SMALL_PIECE = 8 * 1024;
    /** Plaintext read from a file per record: fits one TLS record (2^14 bytes) with room to spare. */
    static final int FILE_PIECE = 16 * 1024 - 256;

    final BufferPool records;
    final SizeClassPools small;
    /** Where a record is encrypted before it is copied into a buffer of its size. */
    final ByteBuffer wrapScratch;
    /** Where small pieces and file pieces are gathered before they are encrypted. */
    final ByteBuffer plainScratch = ByteBuffer.allocateDirect(FILE_PIECE);

    TlsBuffers(int recordBytes) {
        this.records = new BufferPool(recordBytes, 256);
        this.small = new SizeClassPools(256, 16 * 1024, 64); // records of up to SMALL_PIECE plaintext
        this.wrapScratch = ByteBuffer.allocateDirect(recordBytes);
    }
}
