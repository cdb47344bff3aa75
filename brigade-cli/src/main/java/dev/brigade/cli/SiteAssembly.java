package dev.brigade.cli;

import dev.brigade.api.Handler;
import dev.brigade.api.Transaction;
import dev.brigade.dispatch.Bridge;
import dev.brigade.files.MemoryCache;
import dev.brigade.files.StaticFiles;
import dev.brigade.server.Server;
import dev.brigade.server.VirtualHost;
import dev.brigade.tls.TlsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns {@code serve}'s settings into a {@link Server.Builder}: listening address, limits, the
 * default site (a directory or the sample site, with demo, health and operator routes) and the
 * config file's virtual hosts. One assembly per configuration; a reload makes the next one from
 * this one, so a bridge whose spec did not change is carried over (its threads go on) rather than
 * restarted.
 */
final class SiteAssembly {

    private final ServeCommand settings;
    private final Path sampleRoot; // the extracted sample site, used when settings.root is null
    private final Health health;
    private final java.util.function.Supplier<Server> server; // the running server (null before start)
    private final Map<String, Bridge> previousBridges;
    private final TlsSettings previousSelfSigned; // a reload keeps the certificate made at start
    private TlsSettings selfSigned;
    private final Map<String, Bridge> bridges = new HashMap<>();

    SiteAssembly(ServeCommand settings, Path sampleRoot, Health health, java.util.function.Supplier<Server> server,
                 SiteAssembly previous) {
        this.settings = settings;
        this.sampleRoot = sampleRoot;
        this.health = health;
        this.server = server;
        this.previousBridges = previous == null ? Map.of() : previous.bridges;
        this.previousSelfSigned = previous == null ? null : previous.selfSigned;
    }

    ServeCommand settings() {
        return settings;
    }

    /** The builder for these settings, reporting each transaction to {@code log} (null: none). */
    Server.Builder builder(Consumer<Transaction> log) throws IOException {
        ServeCommand s = settings;
        Server.Builder b = Server.builder().bind(s.bind).port(s.port)
                .compression(s.gzipLevel, 1024)
                .headerTimeout(Duration.ofSeconds(s.headerTimeoutSeconds), Duration.ofSeconds(2L * s.headerTimeoutSeconds))
                .bodyTimeout(Duration.ofSeconds(s.bodyTimeoutSeconds))
                .keepAlive(Duration.ofSeconds(s.keepAliveSeconds), s.keepAliveRequests)
                .writeTimeout(Duration.ofSeconds(s.writeTimeoutSeconds))
                .maxBodyBytes(s.maxBodyBytes)
                .maxHeadBytes((int) Math.min(Integer.MAX_VALUE, s.maxHeadBytes))
                .bridge(bridge("", s.bridge));
        if (s.loops != null) {
            b.loops(s.loops);
        }
        if (s.transport != null) {
            b.transport(s.transport);
        }
        if (log != null) {
            b.onTransactionDone(log);
        }
        Path root = s.root != null ? s.root : sampleRoot;
        StaticFiles site = files(root, s.listing, s.indexFile, List.of());
        b.fallback(site).closeOnStop(site);
        if (s.root == null) {
            Handler home = SampleSite.home();
            b.get("/", home).get("/index.html", home);
        }
        if (s.demoRoutes()) {
            DemoRoutes.addTo(b, demo -> s.root == null ? demo : filesFirst(s.root, site, demo));
        }
        b.defaultHost(this::operatorRoutes);
        s.ops.addTo(b, server, site.cache() == null ? () -> null : site.cache()::stats, () -> {
            Server running = server.get();
            return running == null ? 1 : running.configGeneration();
        });
        for (HostConfig host : s.hosts) {
            StaticFiles files = files(host.root(), host.listing() != null ? host.listing() : s.listing,
                    host.index() != null ? host.index() : s.indexFile, host.cacheControl());
            b.closeOnStop(files);
            String first = host.names().getFirst();
            b.virtualHost(first, vh -> {
                vh.fallback(files);
                if (host.bridge() != null) {
                    vh.bridge(bridge(first, host.bridge()));
                }
                operatorRoutes(vh);
            }, host.names().subList(1, host.names().size()).toArray(String[]::new));
        }
        TlsSettings tls = tls();
        if (tls != null) {
            b.tls(tls).httpsPort(s.httpsPort).redirectToHttps(s.redirectHttps);
            if (s.hstsSeconds != null) {
                b.defaultHost(vh -> vh.hsts(Duration.ofSeconds(s.hstsSeconds), false));
            }
        }
        return b;
    }

    /** Routes every host answers for the operator: health checks. */
    private void operatorRoutes(VirtualHost vh) {
        if (settings.health) {
            vh.get("/healthz", health.liveness()).get("/readyz", health.readiness());
        }
    }

    private StaticFiles files(Path root, boolean listing, String index, List<String> extraCacheControl) throws IOException {
        ServeCommand s = settings;
        StaticFiles.Builder files = StaticFiles.builder(root).listing(listing).showHidden(s.showHidden)
                .symlinksOutside(s.symlinksOutside).indexFile(index).precompressed(!s.noPrecompressed)
                .cache(new MemoryCache(s.cacheBytes, s.cacheMaxFileBytes, 1000));
        for (List<String> rules : List.of(extraCacheControl, s.cacheControl)) { // the first match wins: the host's
            for (String rule : rules) {
                String[] kv = Values.pair(rule, "GLOB=VALUE");
                files.cacheControl(kv[0], kv[1]);
            }
        }
        for (String mime : s.mimeTypes) {
            String[] kv = Values.pair(mime, "EXT=TYPE");
            files.mimeType(kv[0], kv[1]);
        }
        return files.build();
    }

    /** A demo route that gives way to a file or directory of the same name under the root. */
    private static Handler filesFirst(Path root, Handler files, Handler demo) {
        return (req, res) -> {
            String rel = req.path().substring(1);
            int slash = rel.indexOf('/');
            Path first = root.resolve(slash < 0 ? rel : rel.substring(0, slash)).normalize();
            if (first.startsWith(root) && Files.exists(first, LinkOption.NOFOLLOW_LINKS)) {
                files.handle(req, res);
            } else {
                demo.handle(req, res);
            }
        };
    }

    /** The bridge for {@code spec} on {@code host} ("" for the server's): the previous configuration's if it had the same. */
    private Bridge bridge(String host, String spec) {
        String key = host + " " + spec;
        return bridges.computeIfAbsent(key, k -> {
            Bridge kept = previousBridges.get(k);
            return kept != null ? kept : BridgeSpec.create(spec);
        });
    }

    /** Loads the certificate and key the settings name (a bad one throws TlsConfigException), without listening. */
    void checkTls() throws IOException {
        TlsSettings tls = tls();
        if (tls != null) {
            dev.brigade.tls.TlsContext.start(tls).close();
        }
    }

    /** The TLS settings the options ask for, or null for plain HTTP only. */
    private TlsSettings tls() throws IOException {
        ServeCommand s = settings;
        if (s.selfSigned) {
            if (previousSelfSigned != null) {
                return selfSigned = previousSelfSigned;
            }
            SelfSigned.Generated g = SelfSigned.generate(s.bind);
            s.selfSignedCertificate = g.certificate();
            return selfSigned = TlsSettings.builder().pkcs12(g.store(), g.password()).reloadCheck(Duration.ZERO).build();
        }
        if (s.tlsCert == null) {
            return null;
        }
        String name = s.tlsCert.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".p12") || name.endsWith(".pfx")) {
            String password = s.tlsPasswordFile == null ? "" : Files.readString(s.tlsPasswordFile).strip();
            return TlsSettings.builder().pkcs12(s.tlsCert, password).build();
        }
        return TlsSettings.builder().certificate(s.tlsCert, s.tlsKey).build();
    }
}
