package dev.brigade.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Entity-tag lists as If-Match and If-None-Match carry them (RFC 9110 §8.8.3, §13.1.1-2): tags
 * separated by commas and optional whitespace, each possibly weak; {@code *} matches anything.
 * Weak comparison (If-None-Match) ignores {@code W/}; strong comparison (If-Match) never matches a
 * weak tag. Anything that is not a list of tags never matches.
 */
class PreconditionsTest {

    @ParameterizedTest(name = "[{0}] ~ {1} weak={2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            "x"                | "x" | false | true
            "a", "x"           | "x" | false | true
            "a","x"            | "x" | false | true
            "a",   "x"  ,  ,   | "x" | false | true
            "a" ,	,          | "x" | false | false
            ,                  | "x" | false | false
            *                  | "x" | false | true
            W/"x"              | "x" | true  | true
            W/"x"              | "x" | false | false
            W/"a", "x"         | "x" | false | true
            W/                 | "x" | true  | false
            x                  | "x" | false | false
            "a", x             | "x" | false | false
            "x                 | "x" | false | false
            "xx"               | "x" | false | false
            """)
    void matches(String list, String etag, boolean weak, boolean expected) {
        assertThat(Preconditions.matches(list, etag, weak)).isEqualTo(expected);
    }
}
