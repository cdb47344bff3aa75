package dev.brigade.filter;

/**
 * A request that takes body filters of its own (see {@link BodyFilter}). The server's
 * {@link dev.brigade.api.Request} implements it; {@link RequestFilters} registers filters per
 * route, virtual host or server.
 */
public interface FilteredRequest {

    /**
     * Adds {@code filter} to this request's body; call before the body is first read. Filters with
     * a lower {@code order} see the bytes first (nearest the network); equal orders keep the order
     * of adding.
     */
    void addBodyFilter(int order, BodyFilter filter);
}
