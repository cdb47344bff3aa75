package dev.brigade.cli;

import dev.brigade.files.MemoryCache;
import dev.brigade.server.Server;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The operator endpoints' options of {@code brigade serve} (a picocli mixin): the status page
 * and the Prometheus metrics, each behind an allow list (loopback only by default). Values are
 * checked as they are parsed: a bad one is a one-line usage error (exit 2).
 */
final class OpsOptions {

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--status", description = "Serve the status page at " + StatusPage.PATH + " (HTML) and "
            + StatusPage.JSON_PATH + ".")
    boolean status;

    List<String> statusAllow = new ArrayList<>();

    @Option(names = "--metrics", description = "Serve Prometheus metrics at --metrics-path.")
    boolean metrics;

    String metricsPath = "/metrics";

    List<String> metricsAllow = new ArrayList<>();

    @Option(names = "--status-allow", paramLabel = "ADDR|CIDR",
            description = "A client address or block allowed to see the status page (repeatable; default: loopback only).")
    void statusAllow(List<String> entries) {
        statusAllow = checkedAllowEntries("--status-allow", entries);
    }

    @Option(names = "--metrics-allow", paramLabel = "ADDR|CIDR",
            description = "A client address or block allowed to scrape the metrics (repeatable; default: loopback only).")
    void metricsAllow(List<String> entries) {
        metricsAllow = checkedAllowEntries("--metrics-allow", entries);
    }

    @Option(names = "--metrics-path", paramLabel = "PATH", defaultValue = "/metrics",
            description = "Where the metrics are served (default: ${DEFAULT-VALUE}).")
    void metricsPath(String path) {
        if (!path.startsWith("/") || path.contains("{") || path.contains("*") || path.contains("?") || path.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--metrics-path '" + path + "' must be a plain path starting with '/', e.g. /metrics");
        }
        this.metricsPath = path;
    }

    /** picocli calls a repeatable option's setter with every value so far: each is checked as it comes. */
    private List<String> checkedAllowEntries(String option, List<String> entries) {
        for (String entry : entries) {
            try {
                AllowList.parse(entry);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), option + " " + e.getMessage());
            }
        }
        return List.copyOf(entries);
    }

    /**
     * Adds the endpoints asked for to {@code builder}.
     *
     * @param server           the server once built (the routes are added before it exists)
     * @param cache            the file cache's counters (null inside: no cache)
     * @param configGeneration the configuration's number, bumped by each reload
     */
    void addTo(Server.Builder builder, Supplier<Server> server, Supplier<MemoryCache.Stats> cache,
               LongSupplier configGeneration) {
        if (status) {
            new StatusPage(server, cache, configGeneration, AllowList.of(statusAllow)).addTo(builder);
        }
        if (metrics) {
            new MetricsEndpoint(server, cache, configGeneration, AllowList.of(metricsAllow)).addTo(builder, metricsPath);
        }
    }
}
