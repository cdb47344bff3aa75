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
