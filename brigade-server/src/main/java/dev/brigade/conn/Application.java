package dev.brigade.conn;

import dev.brigade.api.Response;
import dev.brigade.dispatch.Bridge;

/**
 * What the connection calls for each request: the server's virtual hosts. A request is matched to
 * its {@link Site} once, on the loop, before dispatch, because the site decides where its handler
 * runs (its bridge).
 */
@FunctionalInterface
public interface Application {

    /** The site answering a request, chosen by its Host (the default site if none matches). */
    Site siteFor(ExchangeRequest request);

    /** A virtual host as the connection sees it. */
    interface Site {

        /** A stable name for per-host worker pools and logs (the host's first name, or {@code _default_}). */
        String name();

        /** Where this site's handlers run. */
        Bridge bridge();

        /**
         * Where the handler for this request runs: the site's bridge, or a route's own. Called on
         * the loop, before dispatch.
         */
        default Bridge bridgeFor(ExchangeRequest request) {
            return bridge();
        }

        /** Routes and runs the handler; may bind path parameters first. Runs on the bridge's thread. */
        void handle(ExchangeRequest request, Response response) throws Exception;
    }
}
