package dev.brigade.http1;

/** How the request body is delimited on the wire, decided once from the head (RFC 9112 §6.3). */
public sealed interface BodyFraming {

    /** No body: neither Content-Length nor Transfer-Encoding was sent. */
    record None() implements BodyFraming {
    }

    /** Exactly {@code length} bytes follow the head. */
    record Length(long length) implements BodyFraming {
    }

    /** The body is chunked; its end is the zero-size chunk and the trailer section. */
    record Chunked() implements BodyFraming {
    }

    None NONE = new None();
    Chunked CHUNKED = new Chunked();
}
