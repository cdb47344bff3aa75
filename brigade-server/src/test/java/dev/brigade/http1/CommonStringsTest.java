package dev.brigade.http1;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The usual methods, names and values come out as constants, and anything else exactly as sent. */
class CommonStringsTest {

    private static String name(String s) {
        byte[] b = ("xx" + s + "yy").getBytes(StandardCharsets.ISO_8859_1);
        return CommonStrings.fieldName(b, 2, s.length());
    }

    @Test
    void aCommonNameIsTheConstantAndAnyOtherSpellingIsKeptAsSent() {
        assertThat(name("Host")).isSameAs("Host");
        assertThat(name("host")).isSameAs("host");
        assertThat(name("HOST")).isEqualTo("HOST");
        assertThat(name("Hosts")).isEqualTo("Hosts");
        assertThat(name("X-Custom-Field-Longer-Than-Any-Known-One")).isEqualTo("X-Custom-Field-Longer-Than-Any-Known-One");
        assertThat(name("")).isEmpty();
        byte[] get = "GET /".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(CommonStrings.method(get, 0, 3)).isSameAs("GET");
        assertThat(CommonStrings.method("get".getBytes(StandardCharsets.ISO_8859_1), 0, 3)).isEqualTo("get");
        byte[] latin1 = {(byte) 'k', (byte) 0xe9};
        assertThat(CommonStrings.fieldValue(latin1, 0, 2)).isEqualTo("k\u00e9");
    }
}
