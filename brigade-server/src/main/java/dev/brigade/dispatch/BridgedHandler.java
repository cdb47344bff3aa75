package dev.brigade.dispatch;

import dev.brigade.api.Handler;
import dev.brigade.api.Request;
import dev.brigade.api.Response;

/**
 * A handler that runs on a bridge of its own rather than its virtual host's (made by
 * {@link Bridges#on}): a blocking route on a host whose other routes run inline. The server
 * matches the route on the loop, then dispatches to this bridge.
 */
public record BridgedHandler(Bridge bridge, Handler handler) implements Handler {

    public BridgedHandler {
        if (bridge == null || handler == null) {
            throw new IllegalArgumentException("a bridged handler needs a bridge and a handler");
        }
    }

    @Override
    public void handle(Request request, Response response) throws Exception {
        handler.handle(request, response);
    }
}
