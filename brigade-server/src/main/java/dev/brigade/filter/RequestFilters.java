package dev.brigade.filter;

import dev.brigade.api.Handler;
import dev.brigade.api.Request;
import java.util.function.Function;

/**
 * Registering request-body filters: a factory makes one filter per request, from the request (so
 * that it can read the fields that describe the body, and return null where it does not apply:
 * a gunzip filter for a body without {@code Content-Encoding: gzip}), with an order (see
 * {@link FilteredRequest#addBodyFilter}). Per route with {@link #around}; per virtual host or
 * server through their builders, which take a {@link Registration}.
 */
public final class RequestFilters {

    private RequestFilters() {
    }

    /** A body-filter factory and its order: one new filter for each request it applies to. */
    public record Registration(int order, Function<? super Request, ? extends BodyFilter> factory) {

        /** Adds a filter made for {@code request}, if it takes filters and the factory made one. */
        public void applyTo(Request request) {
            if (request instanceof FilteredRequest fr) {
                BodyFilter f = factory.apply(request);
                if (f != null) {
                    fr.addBodyFilter(order, f);
                }
            }
        }
    }

    /** A handler whose every request body passes through a filter {@code factory} makes for it. */
    public static Handler around(int order, Function<? super Request, ? extends BodyFilter> factory, Handler handler) {
        Registration r = new Registration(order, factory);
        return (request, response) -> {
            r.applyTo(request);
            handler.handle(request, response);
        };
    }
}
