package dev.brigade.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Path patterns against request paths, segment by segment: {@code /a/b/} has the segments
 * {@code a}, {@code b} and an empty one, {@code /} has none; {@code {name}} binds one non-empty
 * segment, a final {@code *} binds the rest of the path (possibly empty).
 */
class RouteTest {

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
            /                  | /                  | {}
            /                  | /a                 | NONE
            /a                 | /a                 | {}
            /a                 | /a/                | NONE
            /a                 | /ab                | NONE
            /ab                | /a                 | NONE
            /a/                | /a/                | {}
            /a/                | /a                 | NONE
            /a/b               | /a/b               | {}
            /a/b               | /a/c               | NONE
            /a/b               | /a                 | NONE
            /a/b               | /a/b/c             | NONE
            /u/{id}            | /u/42              | {id=42}
            /u/{id}            | /u/                | NONE
            /u/{id}            | /u                 | NONE
            /u/{id}            | /u/42/x            | NONE
            /u/{id}/p/{n}      | /u/7/p/9           | {id=7, n=9}
            /u/{id}/p/{n}      | /u/7/q/9           | NONE
            /u/{id}/p/{n}      | //p/9              | NONE
            /static/*          | /static/a/b.txt    | {*=a/b.txt}
            /static/*          | /static/           | {*=}
            /static/*          | /static            | {*=}
            /static/*          | /static/a/         | {*=a/}
            /static/*          | /staticx/a         | NONE
            /static/*          | /stati             | NONE
            /*                 | /                  | {*=}
            /*                 | /x/y               | {*=x/y}
            /f/{name}/*        | /f/a/b/c           | {*=b/c, name=a}
            /f/{name}/*        | /f//b              | NONE
            /a//b              | /a//b              | {}
            /a//b              | /a/b               | NONE
            """)
    void matchesSegmentBySegment(String pattern, String path, String expected) {
        Map<String, String> params = new Route(pattern).match(path);
        assertThat(params == null ? null : new TreeMap<>(params).toString()).isEqualTo(expected);
    }
}
