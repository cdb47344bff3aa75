package dev.brigade.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which decoded segments may be looked up at all, checked before any file-system call: a separator,
 * NUL or dot segment anywhere in one (an encoded {@code %2F}, {@code %5C}, {@code %00} decodes into
 * the segment, at its start too) is refused here, not left to the real-path check behind it.
 */
class PathMapperTest {

    @TempDir
    static Path root;

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "/etc", "a/b", "b/", "\\windows", "a\\b", "\0", "\0a", "a\0", ".hidden"})
    void refused(String segment) throws Exception {
        assertThat(new PathMapper(root, false, false).allowed(segment)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "a.txt", "a..b", "a b", "日本語", "%2F"})
    void allowed(String segment) throws Exception {
        assertThat(new PathMapper(root, false, false).allowed(segment)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {".hidden", ".git"})
    void hiddenNamesOnlyWhenShown(String segment) throws Exception {
        assertThat(new PathMapper(root, true, false).allowed(segment)).isTrue();
    }
}
