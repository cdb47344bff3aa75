package dev.brigade.filter;

import dev.brigade.api.Handler;
import java.util.function.Supplier;

/**
 * Registering application output filters: a factory makes one filter per response, with an order
 * (see {@link FilteredResponse#addOutputFilter}). Per route with {@link #around}; per virtual host
 * or server through their builders, which take a {@link Registration}.
 */
public final class ResponseFilters {

    private ResponseFilters() {
    }

    /** A filter factory and its order: one new filter for each response it applies to. */
    public record Registration(int order, Supplier<? extends OutputFilter> factory) {

        /** Adds a fresh filter to {@code response}, if it takes filters. */
        public void applyTo(Object response) {
            if (response instanceof FilteredResponse fr) {
                fr.addOutputFilter(order, factory.get());
            }
        }
    }

    /** A handler whose every response passes through a new filter from {@code factory}. */
    public static Handler around(int order, Supplier<? extends OutputFilter> factory, Handler handler) {
        Registration r = new Registration(order, factory);
        return (request, response) -> {
            r.applyTo(response);
            handler.handle(request, response);
        };
    }
}
