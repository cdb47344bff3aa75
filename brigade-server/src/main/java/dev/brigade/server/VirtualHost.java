package dev.brigade.server;

import dev.brigade.api.Handler;
import dev.brigade.dispatch.Bridge;
import java.util.List;
import java.util.Locale;

/**
 * A name-based virtual host: the names it answers to and its router. The server picks one by the
 * request's {@code Host} (port removed, case-insensitive), else its default host.
 */
public final class VirtualHost {

    private final List<String> names;
    private final Router router = new Router();
    private Bridge bridge; // null: the server's
    private dev.brigade.tls.CertificateSource certificate; // null: the server's default
    private String hsts; // null: none
    private final java.util.List<dev.brigade.filter.ResponseFilters.Registration> filters = new java.util.ArrayList<>();
    private final java.util.List<dev.brigade.filter.RequestFilters.Registration> bodyFilters = new java.util.ArrayList<>();

    VirtualHost(List<String> names) {
        this.names = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    }

    public List<String> names() {
        return names;
    }

    public Router router() {
        return router;
    }

    public VirtualHost route(String method, String pattern, Handler handler) {
        router.add(method, pattern, handler);
        return this;
    }

    public VirtualHost get(String pattern, Handler handler) {
        return route("GET", pattern, handler);
    }

    public VirtualHost post(String pattern, Handler handler) {
        return route("POST", pattern, handler);
    }

    public VirtualHost put(String pattern, Handler handler) {
        return route("PUT", pattern, handler);
    }

    public VirtualHost delete(String pattern, Handler handler) {
        return route("DELETE", pattern, handler);
    }

    public VirtualHost patch(String pattern, Handler handler) {
        return route("PATCH", pattern, handler);
    }

    /** Runs this host's handlers on {@code bridge} instead of the server's (e.g. a lazy per-host pool). */
    public VirtualHost bridge(Bridge bridge) {
        this.bridge = bridge;
        return this;
    }

    /** This host's own bridge, or null when it uses the server's. */
    public Bridge bridge() {
        return bridge;
    }

    /**
     * Passes every response of this host through a new filter from {@code factory} (see
     * {@link dev.brigade.filter.FilteredResponse}); lower orders see the data first.
     */
    public VirtualHost outputFilter(int order, java.util.function.Supplier<? extends dev.brigade.filter.OutputFilter> factory) {
        filters.add(new dev.brigade.filter.ResponseFilters.Registration(order, factory));
        return this;
    }

    java.util.List<dev.brigade.filter.ResponseFilters.Registration> outputFilters() {
        return filters;
    }

    /**
     * Passes every request body of this host through a filter {@code factory} makes for the request
     * (or not, if it returns null; see {@link dev.brigade.filter.BodyFilter}); lower orders see the
     * bytes first.
     */
    public VirtualHost bodyFilter(int order,
            java.util.function.Function<? super dev.brigade.api.Request, ? extends dev.brigade.filter.BodyFilter> factory) {
        bodyFilters.add(new dev.brigade.filter.RequestFilters.Registration(order, factory));
        return this;
    }

    java.util.List<dev.brigade.filter.RequestFilters.Registration> bodyFilters() {
        return bodyFilters;
    }

    /**
     * This host's TLS certificate, chosen by SNI for each of its names on the HTTPS port (the
     * server's default certificate answers names without one).
     */
    public VirtualHost certificate(dev.brigade.tls.CertificateSource source) {
        this.certificate = source;
        return this;
    }

    /** A PEM certificate chain and its PKCS#8 key for this host; see {@link #certificate(dev.brigade.tls.CertificateSource)}. */
    public VirtualHost certificate(java.nio.file.Path chain, java.nio.file.Path key) {
        return certificate(dev.brigade.tls.CertificateSource.pem(chain, key));
    }

    dev.brigade.tls.CertificateSource certificate() {
        return certificate;
    }

    /**
     * Sends {@code Strict-Transport-Security} on every response of this host over TLS (never over
     * plain HTTP, where browsers ignore it): browsers then use HTTPS only, for {@code maxAge}.
     */
    public VirtualHost hsts(java.time.Duration maxAge, boolean includeSubDomains) {
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("HSTS max-age must not be negative: " + maxAge);
        }
        this.hsts = "max-age=" + maxAge.toSeconds() + (includeSubDomains ? "; includeSubDomains" : "");
        return this;
    }

    /** The HSTS field value, or null. */
    String hsts() {
        return hsts;
    }

    /** The handler for paths no route matches (404 by default). */
    public VirtualHost fallback(Handler handler) {
        router.fallback(handler);
        return this;
    }
}
