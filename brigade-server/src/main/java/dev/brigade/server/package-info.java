/**
 * The composition root: {@link dev.brigade.server.Server} and its builder, virtual hosts and the
 * router. May import every other package.
 */
package dev.brigade.server;
