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
    final Map<String, Handler> byMethod = new java.util.LinkedHashMap<>();

    Route(String pattern) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("a route pattern starts with '/': " + pattern);
        }
        this.pattern = pattern;
        List<String> parts = split(pattern);
        this.tail = !parts.isEmpty() && parts.getLast().equals("*");
        this.segments = tail ? parts.subList(0, parts.size() - 1) : parts;
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).equals("*")) {
                throw new IllegalArgumentException("'*' may only end a pattern: " + pattern);
            }
        }
    }

    String pattern() {
        return pattern;
    }

    boolean literal() {
        return !tail && segments.stream().noneMatch(Route::isParam);
    }

    /** The path parameters if {@code path} matches, else null. */
    Map<String, String> match(String path, List<String> pathSegments) {
        if (tail ? pathSegments.size() < segments.size() : pathSegments.size() != segments.size()) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < segments.size(); i++) {
            String s = segments.get(i);
            String p = pathSegments.get(i);
            if (isParam(s)) {
                if (p.isEmpty()) {
                    return null;
                }
                if (params == null) {
                    params = new java.util.HashMap<>(4);
                }
                params.put(s.substring(1, s.length() - 1), p);
            } else if (!s.equals(p)) {
                return null;
            }
        }
        if (tail) {
            if (params == null) {
                params = new java.util.HashMap<>(2);
            }
            params.put("*", String.join("/", pathSegments.subList(segments.size(), pathSegments.size())));
        }
        return params == null ? Map.of() : params;
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
