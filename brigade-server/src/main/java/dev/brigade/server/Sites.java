package dev.brigade.server;

import dev.brigade.api.Response;
import dev.brigade.conn.Application;
import dev.brigade.conn.ExchangeRequest;
import dev.brigade.dispatch.Bridge;
import dev.brigade.filter.RequestFilters;
import dev.brigade.filter.ResponseFilters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's virtual hosts as connections see them: the site answering a request, chosen by its
 * Host name, with its bridge resolved and the filters registered for the server and the host,
 * which it puts on each request and response before routing.
 */
final class Sites {

    private Sites() {
    }

    /** Chooses the virtual host for a request by its Host name. */
    record VirtualHosts(HostSite defaultSite, Map<String, HostSite> byName) implements Application {

        static VirtualHosts of(VirtualHost defaultHost, Map<String, VirtualHost> hosts, Bridge serverBridge,
                               List<ResponseFilters.Registration> serverFilters,
                               List<RequestFilters.Registration> serverBodyFilters) {
            Map<String, HostSite> byName = new HashMap<>();
            Map<VirtualHost, HostSite> sites = new java.util.IdentityHashMap<>();
            hosts.forEach((name, vh) -> byName.put(name, sites.computeIfAbsent(vh,
                    v -> HostSite.of(v, serverBridge, serverFilters, serverBodyFilters))));
            return new VirtualHosts(HostSite.of(defaultHost, serverBridge, serverFilters, serverBodyFilters),
                    Map.copyOf(byName));
        }

        @Override
        public Application.Site siteFor(ExchangeRequest request) {
            return byName.isEmpty() ? defaultSite : byName.getOrDefault(request.host(), defaultSite);
        }

        java.util.Set<Bridge> bridges() {
            java.util.Set<Bridge> all = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            all.add(defaultSite.bridge());
            byName.values().forEach(site -> all.add(site.bridge()));
            return all;
        }
    }

    /** A virtual host with its bridge resolved, as connections see it. */
    record HostSite(String name, Bridge bridge, Router router, List<ResponseFilters.Registration> filters,
                    List<RequestFilters.Registration> bodyFilters) implements Application.Site {

        static HostSite of(VirtualHost vh, Bridge serverBridge, List<ResponseFilters.Registration> serverFilters,
                           List<RequestFilters.Registration> serverBodyFilters) {
            List<ResponseFilters.Registration> all = new ArrayList<>(serverFilters);
            all.addAll(vh.outputFilters());
            List<RequestFilters.Registration> bodies = new ArrayList<>(serverBodyFilters);
            bodies.addAll(vh.bodyFilters());
            return new HostSite(vh.names().getFirst(), vh.bridge() != null ? vh.bridge() : serverBridge, vh.router(),
                    List.copyOf(all), List.copyOf(bodies));
        }

        @Override
        public void handle(ExchangeRequest request, Response response) throws Exception {
            for (ResponseFilters.Registration r : filters) {
                r.applyTo(response);
            }
            for (RequestFilters.Registration r : bodyFilters) {
                r.applyTo(request);
            }
            router.handle(request, response);
        }
    }
}
