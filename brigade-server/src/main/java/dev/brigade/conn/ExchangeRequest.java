package dev.brigade.conn;

import dev.brigade.api.Headers;
import dev.brigade.api.Request;
import dev.brigade.http1.HeaderFields;
import dev.brigade.http1.RequestHead;
import dev.brigade.http1.RequestTarget;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The {@link Request} of one exchange. Headers and query parameters are converted from the
 * parser's form on first use only, so a handler that never looks at them pays nothing.
 */
public final class ExchangeRequest implements Request, dev.brigade.filter.FilteredRequest {

    private final Exchange exchange;
    private final RequestHead head;
    private final RequestTarget target;
    private String host; // computed on first use: only virtual hosts and some handlers need it
    private Headers headers;
    private Map<String, List<String>> queryParams;
    private Map<String, String> pathParams = Map.of();

    ExchangeRequest(Exchange exchange, RequestHead head, RequestTarget target) {
        this.exchange = exchange;
        this.head = head;
        this.target = target;
    }

    /** Binds the parameters a route extracted from the path; called by the router before the handler. */
    public void bindPathParams(Map<String, String> params) {
        this.pathParams = params;
    }

    @Override
    public String method() {
        return head.method();
    }

    @Override
    public String target() {
        return head.target();
    }

    @Override
    public String path() {
        return target.path();
    }

    /** The path as sent, still percent-encoded, for code that must split segments before decoding. */
    public String rawPath() {
        return target.rawPath();
    }

    @Override
    public String query() {
        return target.query();
    }

    @Override
    public String queryParam(String name) {
        List<String> values = queryParams().get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    @Override
    public Map<String, List<String>> queryParams() {
        if (queryParams == null) {
            queryParams = parseQuery(target.query());
        }
        return queryParams;
    }

    @Override
    public String pathParam(String name) {
        return pathParams.get(name);
    }

    @Override
    public Headers headers() {
        if (headers == null) {
            HeaderFields fields = head.fields();
            Headers h = new Headers(fields.size());
            for (int i = 0; i < fields.size(); i++) {
                h.add(fields.name(i), fields.value(i));
            }
            headers = h;
        }
        return headers;
    }

    @Override
    public String header(String name) {
        return headers == null ? head.fields().first(name) : headers.get(name);
    }

    @Override
    public String protocol() {
        return head.version().text();
    }

    @Override
    public boolean secure() {
        return exchange.secure();
    }

    @Override
    public String host() {
        if (host == null) {
            host = hostWithoutPort(head.host());
        }
        return host;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return exchange.remoteAddress();
    }

    @Override
    public boolean hasBody() {
        return exchange.hasBody();
    }

    @Override
    public void addBodyFilter(int order, dev.brigade.filter.BodyFilter filter) {
        exchange.addBodyFilter(order, filter);
    }

    @Override
    public void read(dev.brigade.api.BodyListener listener) {
        exchange.read(listener);
    }

    @Override
    public CompletionStage<byte[]> body() {
        return exchange.body();
    }

    @Override
    public InputStream bodyStream() {
        if (!blockingAllowed()) {
            throw new IllegalStateException("an inline handler must not block: use read() or body() instead of bodyStream()");
        }
        return exchange.bodyStream();
    }

    @Override
    public boolean blockingAllowed() {
        return exchange.blockingAllowed();
    }

    RequestHead head() {
        return head;
    }

    private static String hostWithoutPort(String host) {
        if (host == null || host.isEmpty()) {
            return "";
        }
        String h = host;
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            h = end > 0 ? h.substring(0, end + 1) : h;
        } else {
            int colon = h.lastIndexOf(':');
            if (colon >= 0) {
                h = h.substring(0, colon);
            }
        }
        return h.toLowerCase(Locale.ROOT);
    }

    private static Map<String, List<String>> parseQuery(String query) {
        if (query.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = RequestTarget.decode(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = eq < 0 ? "" : RequestTarget.decode(pair.substring(eq + 1), true);
            if (name != null && value != null) {
                params.computeIfAbsent(name, k -> new java.util.ArrayList<>(1)).add(value);
            }
        }
        return Collections.unmodifiableMap(params);
    }
}
