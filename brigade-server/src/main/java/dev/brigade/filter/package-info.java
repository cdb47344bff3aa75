/**
 * Buckets, brigades and output filters: how a response leaves.
 *
 * <pre>
 *   Response ─► request filters (chunked, gzip, range) ─► connection filters (tls) ─► NetworkFilter ─► socket
 *                       │ setaside / reinstate / shouldYield        kicked in write completion │
 *                       └───────────────────────────────────────────────────────────────────────┘
 * </pre>
 *
 * Every bucket completes exactly once ({@link dev.brigade.filter.WriteOutcome}); only
 * {@link dev.brigade.filter.NetworkFilter} writes to a channel. Loop thread only. Imports
 * {@code api}, {@code buffer} and the JDK.
 */
package dev.brigade.filter;
