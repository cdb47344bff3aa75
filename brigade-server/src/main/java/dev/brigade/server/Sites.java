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
    record VirtualHosts(HostSite defaultSite, Map<String, HostSite> byName, HttpsRedirect redirect) implements Application {

        static VirtualHosts of(VirtualHost defaultHost, Map<String, VirtualHost> hosts, Bridge serverBridge,
                               List<ResponseFilters.Registration> serverFilters,
                               List<RequestFilters.Registration> serverBodyFilters) {
            Map<String, HostSite> byName = new HashMap<>();
            Map<VirtualHost, HostSite> sites = new java.util.IdentityHashMap<>();
            hosts.forEach((name, vh) -> byName.put(name, sites.computeIfAbsent(vh,
                    v -> HostSite.of(v, serverBridge, serverFilters, serverBodyFilters))));
            return new VirtualHosts(HostSite.of(defaultHost, serverBridge, serverFilters, serverBodyFilters),
                    Map.copyOf(byName), null);
        }

        /** The same hosts, with plain-HTTP requests redirected to HTTPS. */
        VirtualHosts redirecting(HttpsRedirect to) {
            return new VirtualHosts(defaultSite, byName, to);
        }

        @Override
        public Application.Site siteFor(ExchangeRequest request) {
            if (redirect != null && !request.secure()) {
                return redirect;
            }
            return byName.isEmpty() ? defaultSite : byName.getOrDefault(request.host(), defaultSite);
        }

        java.util.Set<Bridge> bridges() {
            java.util.Set<Bridge> all = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            all.add(defaultSite.bridge());
            all.addAll(defaultSite.router().routeBridges());
            byName.values().forEach(site -> {
                all.add(site.bridge());
                all.addAll(site.router().routeBridges());
            });
            if (redirect != null) {
                all.add(redirect.bridge());
            }
            return all;
        }
    }

    /** A virtual host with its bridge resolved, as connections see it. */
    record HostSite(String name, Bridge bridge, Router router, List<ResponseFilters.Registration> filters,
                    List<RequestFilters.Registration> bodyFilters, String hsts) implements Application.Site {

        static HostSite of(VirtualHost vh, Bridge serverBridge, List<ResponseFilters.Registration> serverFilters,
                           List<RequestFilters.Registration> serverBodyFilters) {
            List<ResponseFilters.Registration> all = new ArrayList<>(serverFilters);
            all.addAll(vh.outputFilters());
            List<RequestFilters.Registration> bodies = new ArrayList<>(serverBodyFilters);
            bodies.addAll(vh.bodyFilters());
            return new HostSite(vh.names().getFirst(), vh.bridge() != null ? vh.bridge() : serverBridge, vh.router(),
                    List.copyOf(all), List.copyOf(bodies), vh.hsts());
        }

        @Override
        public Bridge bridgeFor(ExchangeRequest request) {
            if (router.hasRouteBridges()) {
                Bridge own = router.bridgeFor(request);
                if (own != null) {
                    return own;
                }
            }
            return bridge;
        }

        @Override
        public void handle(ExchangeRequest request, Response response) throws Exception {
            if (hsts != null && request.secure()) {
                response.header("Strict-Transport-Security", hsts);
            }
            for (ResponseFilters.Registration r : filters) {
                r.applyTo(response);
            }
            for (RequestFilters.Registration r : bodyFilters) {
                r.applyTo(request);
            }
            router.handle(request, response);
        }
    }

    /**
     * Every plain-HTTP request answered with a redirect to the same target over HTTPS: 301 for GET
     * and HEAD, 308 for other methods (which keeps the method and body). Runs on the loop.
     */
    record HttpsRedirect(Bridge bridge, java.util.function.IntSupplier httpsPort) implements Application.Site {

        @Override
        public String name() {
            return "_https_redirect_";
        }

        @Override
        public void handle(ExchangeRequest request, Response response) {
            String host = request.host();
            if (host == null || host.isEmpty()) {
                response.status(400).send("400 Bad Request: a Host field is needed to redirect to HTTPS\n");
                return;
            }
            int port = httpsPort.getAsInt();
            String target = request.target().startsWith("/") ? request.target() : "/"; // not an absolute-form target's authority
            String location = "https://" + host + (port == 443 ? "" : ":" + port) + target;
            boolean safe = request.method().equals("GET") || request.method().equals("HEAD");
            response.status(safe ? 301 : 308).header("Location", location).send("Moved to " + location + "\n");
        }
    }
}
