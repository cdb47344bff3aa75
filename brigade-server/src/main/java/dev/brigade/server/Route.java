package dev.brigade.server;

import dev.brigade.api.Handler;
import java.util.List;
import java.util.Map;

/**
 * A path pattern and the handler per method. Segments are literals, {@code {name}} (one segment,
 * bound as a path parameter) or a final {@code *} (the rest of the path, bound as {@code *}).
 */
final class Route {

    private final String pattern;
    private final List<String> segments;
    private final boolean tail;
    private final String[] paramNames; // per segment: the parameter it binds, or null for a literal
    final Map<String, Handler> byMethod = new java.util.LinkedHashMap<>();

    Route(String pattern) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("a route pattern starts with '/': " + pattern);
        }
        this.pattern = pattern;
        List<String> parts = split(pattern);
        this.tail = !parts.isEmpty() && parts.getLast().equals("*");
        this.segments = tail ? parts.subList(0, parts.size() - 1) : parts;
        this.paramNames = new String[segments.size()];
        for (int i = 0; i < segments.size(); i++) {
            String s = segments.get(i);
            if (s.equals("*")) {
                throw new IllegalArgumentException("'*' may only end a pattern: " + pattern);
            }
            paramNames[i] = isParam(s) ? s.substring(1, s.length() - 1) : null;
        }
    }

    String pattern() {
        return pattern;
    }

    boolean literal() {
        return !tail && segments.stream().noneMatch(Route::isParam);
    }

    /**
     * The path parameters if {@code path} matches, else null. Walks the path in place, segment by
     * segment ({@code /a/b/} has the segments {@code a}, {@code b} and an empty one; {@code /} has
     * none), so a request costs no split and no list.
     */
    Map<String, String> match(String path) {
        int pos = path.startsWith("/") ? 1 : 0;
        if (pos == path.length()) {
            pos++; // no segments at all
        }
        Map<String, String> params = null;
        for (int i = 0; i < segments.size(); i++) {
            if (pos > path.length()) {
                return null; // the path has fewer segments
            }
            int end = path.indexOf('/', pos);
            if (end < 0) {
                end = path.length();
            }
            String s = segments.get(i);
            if (paramNames[i] != null) {
                if (end == pos) {
                    return null;
                }
                if (params == null) {
                    params = new java.util.HashMap<>(4);
                }
                params.put(paramNames[i], path.substring(pos, end));
            } else if (end - pos != s.length() || !path.startsWith(s, pos)) {
                return null;
            }
            pos = end + 1;
        }
        if (!tail) {
            return pos > path.length() ? (params == null ? Map.of() : params) : null;
        }
        String rest = pos > path.length() ? "" : path.substring(pos);
        if (params == null) {
            return Map.of("*", rest);
        }
        params.put("*", rest);
        return params;
    }

    static List<String> split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.isEmpty()) {
            return List.of();
        }
        return List.of(p.split("/", -1));
    }

    private static boolean isParam(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }
}
