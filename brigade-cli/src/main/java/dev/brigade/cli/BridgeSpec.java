package dev.brigade.cli;

import dev.brigade.dispatch.Bridge;
import dev.brigade.dispatch.Bridges;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --bridge}: {@code inline[:WARN_MS]}, {@code pool:THREADS:BACKLOG}, {@code virtual[:MAX]}, {@code lazy:PER_HOST}. */
final class BridgeSpec {

    static final String FORMS = "inline[:WARN_MS], pool:THREADS:BACKLOG, virtual[:MAX] or lazy:PER_HOST";

    private BridgeSpec() {
    }

    /** Throws {@link TypeConversionException} naming the allowed forms if {@code spec} is not one. */
    static void check(String spec) {
        parse(spec, false);
    }

    /** A new bridge for {@code spec} (already checked). */
    static Bridge create(String spec) {
        return parse(spec, true);
    }

    private static Bridge parse(String spec, boolean create) {
        String[] p = spec.trim().toLowerCase(Locale.ROOT).split(":", -1);
        int max = switch (p[0]) {
            case "inline", "virtual" -> 2;
            case "lazy" -> 2;
            case "pool" -> 3;
            default -> throw bad(spec, "unknown kind '" + p[0] + "'");
        };
        if (p.length > max) {
            throw bad(spec, "too many parts");
        }
        int a1 = arg(spec, p, 1, switch (p[0]) {
            case "inline" -> 100;
            case "pool" -> 2 * Runtime.getRuntime().availableProcessors();
            case "virtual" -> 0;
            default -> 8;
        }, p[0].equals("virtual") ? 0 : 1);
        int a2 = arg(spec, p, 2, 100, 0);
        if (!create) {
            return null;
        }
        return switch (p[0]) {
            case "inline" -> p.length > 1 ? Bridges.inline(Duration.ofMillis(a1)) : Bridges.inline();
            case "pool" -> Bridges.pool(a1, a2);
            case "virtual" -> p.length > 1 && a1 > 0 ? Bridges.virtualThreads(a1) : Bridges.virtualThreads();
            default -> Bridges.lazy(a1, Duration.ofSeconds(60));
        };
    }

    private static int arg(String spec, String[] parts, int i, int dflt, int min) {
        if (parts.length <= i) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(parts[i]);
            if (n >= min && n <= 100_000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(spec, "'" + parts[i] + "' is not a number from " + min + " to 100000");
    }

    private static TypeConversionException bad(String spec, String why) {
        return new TypeConversionException("'" + spec + "' is not a bridge (" + why + "; use " + FORMS + ")");
    }
}
