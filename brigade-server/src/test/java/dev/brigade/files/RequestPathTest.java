package dev.brigade.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Decoding a target into segments: strict escapes and UTF-8, %2F kept in its segment, dot segments. */
class RequestPathTest {

    static RequestPath p(String target) throws RequestPath.Malformed {
        return RequestPath.parse(target);
    }

    @Test
    void segmentsAndTrailingSlash() throws Exception {
        assertThat(p("/")).isEqualTo(new RequestPath(List.of(), true));
        assertThat(p("/a/b")).isEqualTo(new RequestPath(List.of("a", "b"), false));
        assertThat(p("/a/b/")).isEqualTo(new RequestPath(List.of("a", "b"), true));
        assertThat(p("/a//b?x=/../..#f")).isEqualTo(new RequestPath(List.of("a", "b"), false));
        assertThat(p("http://h:8080/a?q")).isEqualTo(new RequestPath(List.of("a"), false));
        assertThat(p("http://h?q")).isEqualTo(new RequestPath(List.of(), true));
    }

    @Test
    void decodingIsStrictUtf8AndPerSegment() throws Exception {
        assertThat(p("/a%2Fb/c").segments()).containsExactly("a/b", "c");
        assertThat(p("/caf%C3%A9").segments()).containsExactly("café");
        assertThat(p("/caf\u00c3\u00a9").segments()).as("raw UTF-8 bytes, read as Latin-1 chars").containsExactly("café");
        assertThat(p("/a/%2e%2e/x").segments()).as("encoded dots are dots (RFC 3986 §6.2.2.2)").containsExactly("x");
        assertThat(p("/a/.%2E%2e").segments()).as("three dots are a name").containsExactly("a", "...");
        assertThat(p("/a+b%20c").segments()).containsExactly("a+b c");
        for (String bad : new String[] {"/%", "/%4", "/%zz", "/%C3", "/%C3%28", "/%ED%A0%80", "/%C0%AF", "/%00", "/%FF",
            "relative", "*"}) {
            assertThatThrownBy(() -> p(bad)).as(bad).isInstanceOf(RequestPath.Malformed.class);
        }
    }

    @Test
    void dotSegmentsAreRemovedAndCannotClimbAboveTheRoot() throws Exception {
        assertThat(p("/a/./b/../c")).isEqualTo(new RequestPath(List.of("a", "c"), false));
        assertThat(p("/a/b/..")).isEqualTo(new RequestPath(List.of("a"), true));
        assertThat(p("/a/.")).isEqualTo(new RequestPath(List.of("a"), true));
        // one way for both spellings: a dot segment whether its dots are encoded or not
        for (String spelled : new String[] {"/a/%2e", "/a/%2E", "/a/b/%2e%2e", "/a/b/.%2e", "/a/b/%2E."}) {
            assertThat(p(spelled)).as(spelled).isEqualTo(new RequestPath(List.of("a"), true));
        }
        assertThatThrownBy(() -> p("/%2e%2e/x")).isInstanceOf(RequestPath.Malformed.class);
        assertThatThrownBy(() -> p("/..")).isInstanceOf(RequestPath.Malformed.class);
        assertThatThrownBy(() -> p("/a/../../b")).isInstanceOf(RequestPath.Malformed.class);
    }

    @Test
    void rangesAndPreconditionHelpers() {
        assertThat(ByteRanges.parse("bytes=0-0,-1", 10).ranges())
                .containsExactly(new ByteRanges.Range(0, 1), new ByteRanges.Range(9, 1));
        assertThat(ByteRanges.parse("bytes=99999999999999999999-", 10)).isEqualTo(ByteRanges.Result.IGNORE);
        assertThat(Preconditions.matches("W/\"a\", \"b\"", "\"a\"", true)).isTrue();
        assertThat(Preconditions.matches("W/\"a\", \"b\"", "\"a\"", false)).isFalse();
        assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT")).isEqualTo(784111777L);
        assertThat(HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT")).isEqualTo(784111777L);
        assertThat(HttpDates.parse("Sun Nov  6 08:49:37 1994")).isEqualTo(784111777L);
        assertThat(HttpDates.format(784111777L)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(DirectoryListing.humanSize(1023)).isEqualTo("1023 B");
        assertThat(DirectoryListing.humanSize(1536)).isEqualTo("1.5 KiB");
        assertThat(CacheControlRules.none().add("assets/**", "immutable").add("*.html", "no-cache").valueFor("a/b/index.html"))
                .isEqualTo("no-cache");
    }
}
