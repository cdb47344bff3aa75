package dev.brigade.dispatch;

/** Factory for the bridges a server can use. */
public final class Bridges {

    private Bridges() {
    }

    /** Handlers run on the loop thread and must not block. */
    public static Bridge inline() {
        return new InlineBridge();
    }
}
