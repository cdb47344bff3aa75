package dev.brigade.cli;

import dev.brigade.files.MemoryCache;
import dev.brigade.server.ServerStats;

/**
 * Everything the status page shows, taken at one moment: the server's numbers, the file cache's
 * (or null without a cache) and the configuration generation. The HTML and the JSON are both
 * rendered from one of these, so the same {@link ServerStats#sequence()} means the same numbers.
 */
record StatusSnapshot(ServerStats server, MemoryCache.Stats cache, long configGeneration) {

    long id() {
        return server.sequence();
    }

    /** Cache hits over lookups, or NaN before the first lookup. */
    double cacheHitRatio() {
        long lookups = cache.hits() + cache.misses();
        return lookups == 0 ? Double.NaN : (double) cache.hits() / lookups;
    }
}
