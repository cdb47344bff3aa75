package dev.brigade.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of what the static-file server parses from requests: Range headers,
 * HTTP dates (If-Modified-Since, If-Range) and request paths. Regression mode (a normal test run)
 * replays the seeds in {@code src/test/resources/dev/brigade/files/FilesFuzzTestInputs/<target>/};
 * {@code JAZZER_FUZZ=1 ./run-tests -pl brigade-server -Dtest=FilesFuzzTest} fuzzes each for a while.
 * Invariants: nothing throws but {@link RequestPath.Malformed}; ranges lie inside the file and
 * never add up to more than it when there are several; a date that parses formats and parses back
 * to itself; a path's segments are never empty, {@code .} or {@code ..}, and one that holds a
 * slash, a backslash or NUL (decoded from {@code %2F}, {@code %5C}, {@code %00}) is refused by the mapper.
 */
class FilesFuzzTest {

    private static final PathMapper MAPPER;

    static {
        try {
            java.nio.file.Path root = java.nio.file.Files.createTempDirectory("brigade-fuzz-root");
            root.toFile().deleteOnExit();
            MAPPER = new PathMapper(root, false, false);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"bytes=", "-", ",", "0", "1", "99999999999999999", " ", "bytes= 0-0, -1"})
    void rangeHeadersStayInsideTheFile(byte[] data) {
        if (data.length < 2) {
            return;
        }
        long size = ((data[0] & 0xFFL) << 8 | (data[1] & 0xFFL)) * 7; // 0 .. 458,745
        String header = new String(data, 2, data.length - 2, StandardCharsets.ISO_8859_1);
        ByteRanges.Result r = ByteRanges.parse(header, size);
        if (r.ranges() == null) {
            assertThat(r.unsatisfiable()).isFalse();
            return;
        }
        if (r.unsatisfiable()) {
            assertThat(r.ranges()).isEmpty();
            return;
        }
        assertThat(r.ranges()).isNotEmpty().hasSizeLessThanOrEqualTo(ByteRanges.MAX_RANGES);
        long total = 0;
        for (ByteRanges.Range range : r.ranges()) {
            assertThat(range.first()).isNotNegative();
            assertThat(range.length()).isPositive();
            assertThat(range.last()).isLessThan(size);
            total += range.length();
        }
        if (r.ranges().size() > 1) {
            assertThat(total).as("several ranges never add up to more than the file").isLessThanOrEqualTo(size);
        }
    }

    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
        "GMT", "Feb", " 29 ", "9999", ":60"})
    void datesThatParseRoundTrip(byte[] data) {
        String value = new String(data, StandardCharsets.ISO_8859_1);
        long t = HttpDates.parse(value);
        if (t >= 0) {
            assertThat(HttpDates.parse(HttpDates.format(t))).as("format(parse(%s))", value).isEqualTo(t);
        }
    }

    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"/", "%2e", "%2E", "..", ".", "%2f", "%5c", "%00", "%C3%A9", "http://h/", "?", "#", "//"})
    void pathsNeverHoldAWayOut(byte[] data) {
        String target = new String(data, StandardCharsets.ISO_8859_1);
        RequestPath p;
        try {
            p = RequestPath.parse(target);
        } catch (RequestPath.Malformed expected) {
            return;
        }
        for (String s : p.segments()) {
            assertThat(s).isNotEmpty().isNotEqualTo(".").isNotEqualTo("..");
            if (s.contains("/") || s.contains("\\") || s.contains("\0")) {
                assertThat(MAPPER.allowed(s)).as("segment %s", s).isFalse();
            }
        }
    }
}
