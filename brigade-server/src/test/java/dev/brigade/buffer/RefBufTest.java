package dev.brigade.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RefBufTest {

    @Test
    void lastReleaseReturnsTheMemoryToThePool() {
        BufferPool pool = new BufferPool(1024, 4);
        RefBuf buf = pool.acquire();
        buf.retain();
        assertThat(buf.release()).isFalse();
        assertThat(pool.stats().inUse()).isEqualTo(1);
        assertThat(buf.release()).isTrue();
        assertThat(pool.stats()).isEqualTo(new BufferPool.Stats(1, 0, 1));
    }

    @Test
    void aDoubleReleaseThrowsInsteadOfCorruptingThePool() {
        BufferPool pool = new BufferPool(64, 4);
        RefBuf buf = pool.acquire();
        buf.release();
        assertThatThrownBy(buf::release).isInstanceOf(IllegalStateException.class).hasMessageContaining("double release");
        assertThat(pool.stats().pooled()).isEqualTo(1);
    }

    @Test
    void slicesShareTheCountOfTheirBuffer() {
        BufferPool pool = new BufferPool(64, 4);
        RefBuf buf = pool.acquire();
        RefBuf slice = buf.slice(8, 16).retain();
        assertThat(buf.refCount()).isEqualTo(2);
        assertThat(slice.buffer().capacity()).isEqualTo(16);
        buf.release();
        assertThat(pool.stats().inUse()).isEqualTo(1);
        slice.release();
        assertThat(pool.stats().inUse()).isZero();
        assertThatThrownBy(slice::retain).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void readOnlyViewsCannotBeWrittenButShareTheCount() {
        BufferPool pool = new BufferPool(64, 4);
        RefBuf buf = pool.acquire();
        RefBuf view = buf.readOnly();
        assertThat(view.buffer().isReadOnly()).isTrue();
        assertThat(view.refCount()).isEqualTo(1);
        view.release();
        assertThat(pool.stats().inUse()).isZero();
    }

    @Test
    void sizeClassesHandOutTheSmallestBufferThatFits() {
        SizeClassPools pools = new SizeClassPools(1024, 65536, 4);
        RefBuf small = pools.acquire(1000);
        RefBuf exact = pools.acquire(4096);
        RefBuf odd = pools.acquire(4097);
        assertThat(small.buffer().capacity()).isEqualTo(1024);
        assertThat(small.buffer().limit()).isEqualTo(1000);
        assertThat(exact.buffer().capacity()).isEqualTo(4096);
        assertThat(odd.buffer().capacity()).isEqualTo(8192);
        assertThat(pools.inUse()).isEqualTo(3);
        small.release();
        exact.release();
        odd.release();
        assertThat(pools.inUse()).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> pools.acquire(65537))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thePoolKeepsNoMoreIdleBuffersThanItsLimit() {
        BufferPool pool = new BufferPool(64, 2);
        RefBuf a = pool.acquire();
        RefBuf b = pool.acquire();
        RefBuf c = pool.acquire();
        a.release();
        b.release();
        c.release();
        assertThat(pool.stats()).isEqualTo(new BufferPool.Stats(3, 0, 2));
    }
}
