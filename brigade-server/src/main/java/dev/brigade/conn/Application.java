package dev.brigade.conn;

import dev.brigade.api.Response;

/**
 * What the connection calls for each request: the server's virtual hosts and routers. It may bind
 * path parameters on the request before calling the chosen handler.
 */
@FunctionalInterface
public interface Application {

    void handle(ExchangeRequest request, Response response) throws Exception;
}
