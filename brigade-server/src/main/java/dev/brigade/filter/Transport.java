package dev.brigade.filter;

/**
 * A pair of connection-level filters that carry the byte stream in both directions (TLS), added
 * to a connection when it opens: {@code input} just above the network and any connection input
 * filters (a PROXY-protocol preamble comes before a TLS handshake), {@code output} just above the
 * network filter.
 */
public record Transport(InputFilter input, OutputFilter output) {
}
