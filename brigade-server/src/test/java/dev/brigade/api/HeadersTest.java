package dev.brigade.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Headers: an ordered, case-insensitive multimap that refuses what could split a response. */
class HeadersTest {

    @Test
    void keepsOrderFindsCaseInsensitivelyAndGrowsPastItsExpectedSize() {
        Headers h = new Headers(1);
        for (int i = 0; i < 20; i++) {
            h.add("X-N" + i, Integer.toString(i));
        }
        h.add("x-n3", "again");
        assertThat(h.size()).isEqualTo(21);
        assertThat(h.get("X-n3")).isEqualTo("3");
        assertThat(h.all("X-N3")).containsExactly("3", "again");
        assertThat(h.name(20)).isEqualTo("x-n3");
        assertThat(h.value(19)).isEqualTo("19");
        List<String> seen = new ArrayList<>();
        h.forEach((n, v) -> seen.add(n + "=" + v));
        assertThat(seen).hasSize(21).startsWith("X-N0=0", "X-N1=1").endsWith("x-n3=again");
    }

    @Test
    void setReplacesEveryFieldOfTheNameAndRemoveKeepsTheOthersInOrder() {
        Headers h = new Headers().add("A", "1").add("B", "2").add("a", "3").add("C", "4");
        h.set("A", "only");
        assertThat(h.size()).isEqualTo(3);
        assertThat(h.all("a")).containsExactly("only");
        assertThat(h.name(0)).isEqualTo("B");
        assertThat(h.name(2)).isEqualTo("A");
        h.remove("b").remove("missing");
        assertThat(h.iterator()).toIterable().extracting(Headers.Field::name).containsExactly("C", "A");
        assertThatThrownBy(() -> h.name(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(h.isEmpty()).isFalse();
        assertThat(new Headers().isEmpty()).isTrue();
        assertThat(new Headers().get("A")).isNull();
    }

    @Test
    void refusesNamesAndValuesThatCouldSplitAResponse() {
        Headers h = new Headers();
        assertThatThrownBy(() -> h.add("Bad Name", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.set("X", "a\r\nInjected: 1")).isInstanceOf(IllegalArgumentException.class);
        assertThat(h.size()).isZero();
        assertThat(new Headers().add("Accept-Encoding", "gzip, br").hasToken("accept-encoding", "BR")).isTrue();
    }
}
