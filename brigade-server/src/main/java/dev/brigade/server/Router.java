package dev.brigade.server;

import dev.brigade.api.Handler;
import dev.brigade.api.Response;
import dev.brigade.conn.ExchangeRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses a handler by method and path. Literal paths are found by one hash lookup; patterns with
 * parameters are tried in the order they were added. A path that matches with another method is
 * answered 405 with {@code Allow}; no match at all falls to the fallback handler (404 unless set).
 * GET routes answer HEAD too; OPTIONS on a known path answers 204 with {@code Allow}.
 */
public final class Router {

    private final Map<String, Route> literal = new HashMap<>();
    private final List<Route> patterns = new ArrayList<>();
    private final java.util.Set<dev.brigade.dispatch.Bridge> bridges =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private Handler fallback = (req, res) -> res.status(404).send("404 Not Found\n");

    /** Adds a handler for a method and path pattern (see {@link Route}); returns this router. */
    public Router add(String method, String pattern, Handler handler) {
        Route route = literal.get(pattern);
        if (route == null) {
            route = patterns.stream().filter(r -> r.pattern().equals(pattern)).findFirst().orElse(null);
        }
        if (route == null) {
            route = new Route(pattern);
            if (route.literal()) {
                literal.put(pattern, route);
            } else {
                patterns.add(route);
            }
        }
        if (route.byMethod.putIfAbsent(method, handler) != null) {
            throw new IllegalArgumentException("two handlers for " + method + " " + pattern);
        }
        if (handler instanceof dev.brigade.dispatch.BridgedHandler b) {
            bridges.add(b.bridge());
        }
        return this;
    }

    /** The handler for requests no route matches (404 by default): a file server, say. */
    public Router fallback(Handler handler) {
        this.fallback = handler;
        return this;
    }

    /** Whether some route runs on a bridge of its own (then the route is matched on the loop too). */
    boolean hasRouteBridges() {
        return !bridges.isEmpty();
    }

    /** The bridges routes asked for, to start and stop with the server. */
    java.util.Set<dev.brigade.dispatch.Bridge> routeBridges() {
        return java.util.Collections.unmodifiableSet(bridges);
    }

    /** The bridge of the route this request matches, or null for its host's. */
    dev.brigade.dispatch.Bridge bridgeFor(ExchangeRequest request) {
        String path = request.path();
        Route route = literal.get(path);
        if (route == null) {
            for (Route r : patterns) {
                if (r.match(path) != null) {
                    route = r;
                    break;
                }
            }
        }
        if (route == null) {
            return null;
        }
        Handler h = route.byMethod.get(request.method());
        if (h == null && request.method().equals("HEAD")) {
            h = route.byMethod.get("GET");
        }
        return h instanceof dev.brigade.dispatch.BridgedHandler b ? b.bridge() : null;
    }

    /** Routes one request: binds its path parameters and runs the chosen handler. */
    void handle(ExchangeRequest request, Response response) throws Exception {
        String path = request.path();
        Route route = literal.get(path);
        Map<String, String> params = Map.of();
        if (route == null) {
            for (Route r : patterns) {
                params = r.match(path);
                if (params != null) {
                    route = r;
                    break;
                }
            }
        }
        if (route == null) {
            fallback.handle(request, response);
            return;
        }
        String method = request.method();
        Handler h = route.byMethod.get(method);
        if (h == null && method.equals("HEAD")) {
            h = route.byMethod.get("GET");
        }
        if (h == null) {
            String allow = allow(route);
            response.header("Allow", allow);
            if (method.equals("OPTIONS")) {
                response.status(204).send();
            } else {
                response.status(405).send("405 Method Not Allowed\n");
            }
            return;
        }
        request.bindPathParams(params);
        h.handle(request, response);
    }

    private static String allow(Route route) {
        Set<String> methods = new LinkedHashSet<>(route.byMethod.keySet());
        if (methods.contains("GET")) {
            methods.add("HEAD");
        }
        methods.add("OPTIONS");
        return String.join(", ", methods);
    }
}
