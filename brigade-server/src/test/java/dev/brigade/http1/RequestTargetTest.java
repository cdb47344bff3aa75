package dev.brigade.http1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request targets as vectors: target → raw path, query, decoded path, or unusable (null: 400).
 * Origin-form, absolute-form (the path part), asterisk- and authority-form; percent-decoding as
 * UTF-8, where a broken escape or broken UTF-8 makes the target unusable rather than guessed at.
 */
class RequestTargetTest {

    static Stream<Arguments> targets() {
        return Stream.of(
                // target, rawPath, query, path (null: the target is unusable)
                Arguments.of("/", "/", "", "/"),
                Arguments.of("/a/b?x=1&y=2", "/a/b", "x=1&y=2", "/a/b"),
                Arguments.of("/?", "/", "", "/"),
                Arguments.of("/a?b?c", "/a", "b?c", "/a"),
                Arguments.of("/a%20b", "/a%20b", "", "/a b"),
                Arguments.of("/caf%C3%A9", "/caf%C3%A9", "", "/caf\u00e9"),
                Arguments.of("/caf%c3%a9", "/caf%c3%a9", "", "/caf\u00e9"),
                Arguments.of("/a%2Fb", "/a%2Fb", "", "/a/b"),
                Arguments.of("/a+b", "/a+b", "", "/a+b"),
                Arguments.of("/%41", "/%41", "", "/A"),
                Arguments.of("/a%4", null, null, null),
                Arguments.of("/a%", null, null, null),
                Arguments.of("/a%zz", null, null, null),
                Arguments.of("/a%4g", null, null, null),
                Arguments.of("/%C3", null, null, null),
                Arguments.of("/%FF", null, null, null),
                Arguments.of("/\u00e9", null, null, null),
                Arguments.of("http://example.com/x?q", "/x", "q", "/x"),
                Arguments.of("http://example.com", "/", "", "/"),
                Arguments.of("http://example.com?q=1", "/", "q=1", "/"),
                Arguments.of("http://h?a=/b", "/", "a=/b", "/"),
                Arguments.of("https://h:8443/p/q", "/p/q", "", "/p/q"),
                Arguments.of("http://h/%7Euser", "/%7Euser", "", "/~user"),
                Arguments.of("*", "*", "", "*"),
                Arguments.of("example.com:443", "/", "", "/"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void splitsAndDecodes(String target, String rawPath, String query, String path) {
        RequestTarget t = RequestTarget.parse(target);
        if (path == null) {
            assertThat(t).as("unusable").isNull();
        } else {
            assertThat(t).isEqualTo(new RequestTarget(rawPath, query, path));
        }
    }

    static Stream<Arguments> queryComponents() {
        return Stream.of(
                Arguments.of("a+b%2B", true, "a b+"),
                Arguments.of("a+b", false, "a+b"),
                Arguments.of("plain", true, "plain"),
                Arguments.of("%e2%82%ac", true, "\u20ac"),
                Arguments.of("100%", true, null),
                Arguments.of("%ZZ", false, null));
    }

    @ParameterizedTest(name = "{0} (plus is space: {1})")
    @MethodSource("queryComponents")
    void decodesQueryComponents(String in, boolean plusIsSpace, String out) {
        assertThat(RequestTarget.decode(in, plusIsSpace)).isEqualTo(out);
    }
}
