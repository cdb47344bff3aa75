package dev.brigade.http1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Limits that could not work are refused where they are made, each at its exact boundary. */
class ParserLimitsTest {

    @Test
    void theSmallestWorkableLimitsAreAcceptedAndOneLessIsRefused() {
        Limits smallest = new Limits(16, 16, 1, 0, 18);
        assertThat(smallest.headBytesMax()).isEqualTo(18);
        assertThatThrownBy(() -> new Limits(15, 16, 1, 0, 18)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Limits(16, 15, 1, 0, 18)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Limits(16, 16, 0, 0, 18)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Limits(16, 16, 1, -1, 18)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Limits(16, 16, 1, 0, 17))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot hold a request line");
    }

    @Test
    void theHeadLimitDefaultsToNginxs32KiBOrOneLongestLineOfEachKind() {
        assertThat(Limits.DEFAULT.headBytesMax()).isEqualTo(32 * 1024);
        assertThat(new Limits(20_000, 20_000, 10, 1).headBytesMax()).isEqualTo(40_006);
        Limits l = Limits.DEFAULT.withBodyBytesMax(5).withHeadBytesMax(9000);
        assertThat(l.bodyBytesMax()).isEqualTo(5);
        assertThat(l.headBytesMax()).isEqualTo(9000);
        assertThat(l.requestLineBytesMax()).isEqualTo(8190);
        assertThat(l.fieldCountMax()).isEqualTo(100);
    }
}
