package dev.brigade.cli;

import dev.brigade.dispatch.Bridge;
import dev.brigade.dispatch.Bridges;
import java.time.Duration;
import picocli.CommandLine;

/** Parses {@code --bridge}: {@code inline[:WARN_MS]}, {@code pool:THREADS:BACKLOG}, {@code virtual[:MAX]}, {@code lazy:PER_HOST}. */
final class BridgeSpec {

    private BridgeSpec() {
    }

    static Bridge parse(String spec) {
        String[] p = spec.trim().toLowerCase(java.util.Locale.ROOT).split(":");
        try {
            return switch (p[0]) {
                case "inline" -> p.length > 1 ? Bridges.inline(java.time.Duration.ofMillis(arg(p, 1, 100))) : Bridges.inline();
                case "pool" -> Bridges.pool(arg(p, 1, 2 * Runtime.getRuntime().availableProcessors()), arg(p, 2, 100));
                case "virtual" -> p.length > 1 ? Bridges.virtualThreads(arg(p, 1, 0)) : Bridges.virtualThreads();
                case "lazy" -> Bridges.lazy(arg(p, 1, 8), Duration.ofSeconds(60));
                default -> throw new IllegalArgumentException("unknown bridge '" + p[0] + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(new Main()),
                    "--bridge " + spec + ": " + e.getMessage() + " (inline[:WARN_MS], pool:THREADS:BACKLOG, virtual[:MAX], lazy:PER_HOST)");
        }
    }

    private static int arg(String[] parts, int i, int dflt) {
        return parts.length > i ? Integer.parseInt(parts[i]) : dflt;
    }
}
