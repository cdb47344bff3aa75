/**
 * Bridges: where handlers run (inline on the loop; worker pools and virtual threads to come).
 * Imports {@code api} and the JDK only.
 */
package dev.brigade.dispatch;
