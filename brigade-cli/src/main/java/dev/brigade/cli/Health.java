package dev.brigade.cli;

import dev.brigade.api.Handler;

/**
 * {@code --health}: {@code GET /healthz} answers 200 while the process serves; {@code GET /readyz}
 * answers 200 until a stop begins and 503 from that moment, while requests are still served for
 * {@code --drain-delay}, so a load balancer (a Kubernetes Service) stops sending before any
 * connection is closed.
 */
final class Health {

    private volatile boolean ready = true;

    /** From now on, /readyz says 503. */
    void notReady() {
        ready = false;
    }

    Handler liveness() {
        return (req, res) -> res.contentType("text/plain; charset=utf-8").header("Cache-Control", "no-store").send("ok\n");
    }

    Handler readiness() {
        return (req, res) -> {
            res.contentType("text/plain; charset=utf-8").header("Cache-Control", "no-store");
            if (ready) {
                res.send("ready\n");
            } else {
                res.status(503).send("stopping\n");
            }
        };
    }
}
