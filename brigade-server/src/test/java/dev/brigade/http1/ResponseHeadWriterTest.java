package dev.brigade.http1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ResponseHeadWriterTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 7, 9, 10, 99, 100, 1024, 999_999, 1_000_000, 999_999_999_999_999_999L, Long.MAX_VALUE})
    void contentLengthIsWrittenInDecimalWithoutFormatting(long n) {
        String head = new String(new ResponseHeadWriter().statusLine(200, "OK").contentLength(n).finish(),
                StandardCharsets.ISO_8859_1);
        assertThat(head).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: " + n + "\r\n\r\n");
    }

    @Test
    void aFieldValueWithCrOrLfNeverReachesTheHead() {
        ResponseHeadWriter w = new ResponseHeadWriter().statusLine(200, "OK");
        assertThatThrownBy(() -> w.field("X-Evil", "a\r\nSet-Cookie: x=1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.field("X-Evil\n", "a")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\rb", "a\nb", "a\u0000b", "caf\u00e9 \u20ac"})
    void noCrLfNulOrNonLatin1CharacterReachesTheHead(String unsafe) {
        ResponseHeadWriter w = new ResponseHeadWriter();
        assertThatThrownBy(() -> w.statusLine(299, unsafe)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.field("X-V", unsafe)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.field(unsafe, "v")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new String(w.reset().statusLine(200, "OK").field("X-Latin-1", "caf\u00e9").finish(), StandardCharsets.ISO_8859_1))
                .isEqualTo("HTTP/1.1 200 OK\r\nX-Latin-1: caf\u00e9\r\n\r\n");
    }

    @ParameterizedTest
    @ValueSource(ints = {99, 1000, -1})
    void aStatusOutsideThreeDigitsIsRefused(int status) {
        assertThatThrownBy(() -> new ResponseHeadWriter().statusLine(status, "X")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void threeDigitStatusesAtTheEdgesAreWritten() {
        assertThat(new String(new ResponseHeadWriter().statusLine(100, "Continue").finish(), StandardCharsets.ISO_8859_1))
                .isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        assertThat(new String(new ResponseHeadWriter().statusLine(599, "Last Cached").finish(), StandardCharsets.ISO_8859_1))
                .isEqualTo("HTTP/1.1 599 Last Cached\r\n\r\n");
        assertThat(new String(new ResponseHeadWriter().statusLine(600, "Uncached").finish(), StandardCharsets.ISO_8859_1))
                .isEqualTo("HTTP/1.1 600 Uncached\r\n\r\n");
        assertThat(new String(new ResponseHeadWriter().statusLine(999, "Custom").field("X-N", 42L).finish(), StandardCharsets.ISO_8859_1))
                .isEqualTo("HTTP/1.1 999 Custom\r\nX-N: 42\r\n\r\n");
    }

    @Test
    void aContentLengthEndingAtEveryPositionAroundTheInitialBufferIsWrittenWhole() {
        for (int pad = 180; pad <= 260; pad++) {
            String v = "v".repeat(pad);
            String head = new String(new ResponseHeadWriter().statusLine(200, "OK").field("X", v).contentLength(Long.MAX_VALUE).finish(),
                    StandardCharsets.ISO_8859_1);
            assertThat(head).isEqualTo("HTTP/1.1 200 OK\r\nX: " + v + "\r\nContent-Length: " + Long.MAX_VALUE + "\r\n\r\n");
        }
    }

    @Test
    void aHeadLargerThanTheInitialBufferIsWrittenWhole() {
        String big = "v".repeat(5000);
        ResponseHeadWriter w = new ResponseHeadWriter().statusLine(200, "OK");
        for (int i = 0; i < 3; i++) {
            w.field("X-" + i, big);
        }
        String head = new String(w.contentLength(Long.MAX_VALUE).finish(), StandardCharsets.ISO_8859_1);
        assertThat(head).isEqualTo("HTTP/1.1 200 OK\r\n" + "X-0: " + big + "\r\nX-1: " + big + "\r\nX-2: " + big
                + "\r\nContent-Length: " + Long.MAX_VALUE + "\r\n\r\n");
        assertThat(new String(w.reset().statusLine(204, "No Content").finish(), StandardCharsets.ISO_8859_1))
                .as("reset reuses the grown buffer from its start").isEqualTo("HTTP/1.1 204 No Content\r\n\r\n");
    }

    @Test
    void aCustomReasonIsNotConfusedWithTheCachedOne() {
        String custom = new String(new ResponseHeadWriter().statusLine(200, "Fine").finish(), StandardCharsets.ISO_8859_1);
        String usual = new String(new ResponseHeadWriter().statusLine(200, "OK").finish(), StandardCharsets.ISO_8859_1);
        assertThat(custom).startsWith("HTTP/1.1 200 Fine\r\n");
        assertThat(usual).startsWith("HTTP/1.1 200 OK\r\n");
    }

    @Test
    void finishingIntoABufferWritesTheSameBytesAsFinishing() {
        ResponseHeadWriter w = new ResponseHeadWriter().reset().statusLine(200, "OK").field("X-A", "1").contentLength(5);
        int length = w.finishedLength();
        java.nio.ByteBuffer into = java.nio.ByteBuffer.allocateDirect(length);
        w.finishInto(into);
        assertThat(into.hasRemaining()).as("exactly finishedLength() bytes").isFalse();
        byte[] viaBuffer = new byte[length];
        into.flip().get(viaBuffer);
        byte[] viaArray = new ResponseHeadWriter().reset().statusLine(200, "OK").field("X-A", "1").contentLength(5).finish();
        assertThat(new String(viaBuffer, StandardCharsets.US_ASCII)).isEqualTo(new String(viaArray, StandardCharsets.US_ASCII))
                .endsWith("Content-Length: 5\r\n\r\n");
    }
}
