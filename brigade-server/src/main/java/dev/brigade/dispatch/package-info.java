/**
 * Bridges: where handlers run (Rivet's word). The {@link dev.brigade.dispatch.Bridge} lifecycle
 * mirrors Rivet's jump table: thread init, server init, dispatch (on a loop thread, never
 * blocking), finalize (graceful shutdown with a deadline), and an exit path that never kills a
 * thread ({@link dev.brigade.dispatch.PerThread#retire()}).
 *
 * <ul>
 *   <li>{@link dev.brigade.dispatch.InlineBridge}: on the loop thread; handlers must not block.</li>
 *   <li>{@link dev.brigade.dispatch.PoolBridge}: a fixed, supervised pool and a bounded backlog;
 *       a full backlog answers 503 at once.</li>
 *   <li>{@link dev.brigade.dispatch.VirtualThreadBridge}: a virtual thread per exchange, optionally
 *       limited (503 beyond).</li>
 *   <li>{@link dev.brigade.dispatch.LazyBridge}: per virtual host, a LIFO stack of platform workers
 *       created on demand, capped and reaped when idle.</li>
 *   <li>{@link dev.brigade.dispatch.PerThread}: thread-confined instances (Rivet's interpreter per
 *       thread), retirement, broken instances.</li>
 * </ul>
 * Imports {@code api} and the JDK only.
 */
package dev.brigade.dispatch;
