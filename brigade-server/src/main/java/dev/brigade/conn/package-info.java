/**
 * Connections: the state machine ({@link dev.brigade.conn.ConnState}), keep-alive, pipelining,
 * timeouts and lingering close, and the exchange of one request and response. Loop thread only,
 * except where a method says otherwise. The only package that sees every layer below it: imports
 * {@code buffer}, {@code http1}, {@code loop}, {@code api}, {@code dispatch} and {@code filter}.
 */
package dev.brigade.conn;
