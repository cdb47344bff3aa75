/**
 * What handler authors see: {@link dev.brigade.api.Handler}, {@link dev.brigade.api.Request},
 * {@link dev.brigade.api.Response} and {@link dev.brigade.api.Headers}. Plain byte arrays,
 * buffers and streams only: reference counts never leak into application code. Imports the JDK only.
 */
package dev.brigade.api;
