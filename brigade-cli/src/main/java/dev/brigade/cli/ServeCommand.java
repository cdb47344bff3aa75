package dev.brigade.cli;

import dev.brigade.files.MemoryCache;
import dev.brigade.files.StaticFiles;
import dev.brigade.server.Server;
import dev.brigade.tls.TlsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code brigade serve}: serves a directory (or the bundled sample site) and the demo routes,
 * logs each request in Apache combined format once its response has left, and stops gracefully
 * on SIGTERM or Ctrl-C.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {
            "Serve a directory and the demo routes over HTTP/1.1.",
            "Without --root, serves a small bundled sample site. Demo routes: /hello, /json,",
            "/echo (POST), /users/{id}, /stream, /slow?ms=N, /poll + /publish (POST), /dialup.",
            "Stops gracefully on SIGTERM and Ctrl-C."
        })
final class ServeCommand implements Callable<Integer> {

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "8080",
            description = "TCP port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = {"-b", "--bind"}, paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
            description = "Address to listen on, e.g. 127.0.0.1 or :: (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = {"-l", "--loops"}, paramLabel = "N",
            description = "Number of event loops (default: available processors).")
    Integer loops;

    @Option(names = {"-r", "--root"}, paramLabel = "DIR",
            description = "Directory to serve (default: the bundled sample site).")
    Path root;

    @Option(names = "--access-log", paramLabel = "FILE", defaultValue = "-",
            description = "Where the access log goes: a file, '-' for standard output, or 'off' (default: ${DEFAULT-VALUE}).")
    String accessLog;

    @Option(names = "--shutdown-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "On SIGTERM or Ctrl-C, how long in-flight responses may take before connections are cut (default: ${DEFAULT-VALUE}).")
    int shutdownSeconds;

    @Option(names = "--no-demo", description = "Do not add the demo routes.")
    boolean noDemo;

    @Option(names = "--listing", description = "List directories without an index file (HTML, or JSON for Accept: application/json).")
    boolean listing;

    @Option(names = "--show-hidden", description = "Serve dot-files (hidden by default).")
    boolean showHidden;

    @Option(names = "--follow-symlinks-outside", description = "Follow symbolic links that lead outside the root.")
    boolean symlinksOutside;

    @Option(names = "--index", paramLabel = "NAME", defaultValue = "index.html",
            description = "Index file of a directory (default: ${DEFAULT-VALUE}).")
    String indexFile;

    @Option(names = "--cache-size", paramLabel = "BYTES", defaultValue = "67108864",
            description = "Memory cache for small hot files, in bytes; 0 turns it off (default: ${DEFAULT-VALUE}).")
    long cacheBytes;

    @Option(names = "--cache-max-file", paramLabel = "BYTES", defaultValue = "65536",
            description = "Largest file the memory cache holds (default: ${DEFAULT-VALUE}).")
    long cacheMaxFileBytes;

    @Option(names = "--cache-control", paramLabel = "GLOB=VALUE",
            description = "Cache-Control for paths matching GLOB, e.g. 'assets/**=public, max-age=31536000' (repeatable).")
    java.util.List<String> cacheControl = new java.util.ArrayList<>();

    @Option(names = "--mime", paramLabel = "EXT=TYPE", description = "Content type for a file extension, e.g. 'webmanifest=application/manifest+json' (repeatable).")
    java.util.List<String> mimeTypes = new java.util.ArrayList<>();

    @Option(names = "--no-precompressed", description = "Do not serve precompressed siblings (file.gz, file.br, file.zst).")
    boolean noPrecompressed;

    @Option(names = "--bridge", paramLabel = "KIND", defaultValue = "inline",
            description = {"Where handlers run (default: ${DEFAULT-VALUE}):",
                "inline[:WARN_MS] (on the event loops; WARN_MS reports handlers that block them),",
                "pool:THREADS:BACKLOG (503 when full),",
                "virtual[:MAX] (a virtual thread per request), lazy:PER_HOST (per-virtual-host pools)."})
    String bridge;

    @Option(names = "--gzip", paramLabel = "LEVEL", defaultValue = "5",
            description = "On-the-fly gzip level 1-9 for compressible responses of 1 KiB and more; 0 turns it off (default: ${DEFAULT-VALUE}).")
    int gzipLevel;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "Serve HTTPS on --https-port with this certificate: a PEM chain (leaf first) with --tls-key, or a PKCS#12 store (.p12, .pfx).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM PKCS#8 private key (RSA or EC) of --tls-cert.")
    Path tlsKey;

    @Option(names = "--tls-password-file", paramLabel = "FILE", description = "A file holding the password of a PKCS#12 --tls-cert.")
    Path tlsPasswordFile;

    @Option(names = "--self-signed", description = "Serve HTTPS with a certificate made now for localhost (for local use; its PEM file is printed).")
    boolean selfSigned;

    @Option(names = "--https-port", paramLabel = "PORT", defaultValue = "8443",
            description = "TCP port for HTTPS, with --tls-cert or --self-signed (default: ${DEFAULT-VALUE}).")
    int httpsPort;

    @Option(names = "--redirect-https", description = "Answer every plain-HTTP request with a redirect to HTTPS.")
    boolean redirectHttps;

    @Option(names = "--hsts", paramLabel = "SECONDS",
            description = "Send Strict-Transport-Security with this max-age on HTTPS responses.")
    Long hstsSeconds;

    @picocli.CommandLine.Mixin
    OpsOptions ops = new OpsOptions(); // --status, --metrics and their allow lists

    /** Where the self-signed certificate went, once made. */
    Path selfSignedCertificate;

    @Override
    public Integer call() throws Exception {
        Path siteRoot = root != null ? root : SampleSite.extract();
        if (!Files.isDirectory(siteRoot)) {
            System.err.println("brigade: --root " + root + " is not a directory");
            return 2;
        }
        AccessLog log = AccessLog.open(accessLog);
        Server server = start(siteRoot, log);
        System.err.println("brigade: serving " + (root != null ? siteRoot : "the bundled sample site")
                + " on http://" + hostForUrl(bind) + ":" + server.port() + "/"
                + (server.httpsPort() > 0 ? " and https://" + hostForUrl(bind) + ":" + server.httpsPort() + "/" : ""));
        if (selfSignedCertificate != null) {
            System.err.println("brigade: self-signed certificate for localhost: " + selfSignedCertificate
                    + " (trust it with curl --cacert " + selfSignedCertificate + ")");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("brigade-shutdown").unstarted(() -> {
            System.err.println("brigade: stopping (up to " + shutdownSeconds + " s for requests in flight)");
            server.stop(Duration.ofSeconds(shutdownSeconds));
            if (log != null) {
                log.close();
            }
            System.err.println("brigade: stopped: " + summary(server));
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    /**
     * What an operator should know at the end (until a status page exists): requests served, 503s
     * shed by the bridge, completions dropped because their connection closed first, TLS handshakes.
     */
    static String summary(Server server) {
        StringBuilder sb = new StringBuilder().append(server.requestsServed()).append(" requests received, ")
                .append(server.bridgeStats().rejected()).append(" shed with 503, ")
                .append(server.staleCompletions()).append(" late completions dropped (their connection had closed)");
        if (server.tlsStats() != null) {
            var tls = server.tlsStats();
            sb.append(", TLS handshakes ").append(tls.handshakesByProtocol()).append(", ").append(tls.failures())
                    .append(" failed");
        }
        return sb.toString();
    }

    /** Builds and starts the server these options describe. */
    Server start(Path siteRoot, AccessLog log) throws IOException {
        StaticFiles.Builder files = StaticFiles.builder(siteRoot).listing(listing).showHidden(showHidden)
                .symlinksOutside(symlinksOutside).indexFile(indexFile).precompressed(!noPrecompressed)
                .cache(new MemoryCache(cacheBytes, cacheMaxFileBytes, 1000));
        for (String rule : cacheControl) {
            String[] kv = splitPair(rule, "--cache-control");
            files.cacheControl(kv[0], kv[1]);
        }
        for (String mime : mimeTypes) {
            String[] kv = splitPair(mime, "--mime");
            files.mimeType(kv[0], kv[1]);
        }
        StaticFiles site = files.build();
        Server.Builder builder = Server.builder().bind(bind).port(port).fallback(site).closeOnStop(site)
                .compression(gzipLevel, 1024);
        if (loops != null) {
            builder.loops(loops);
        }
        builder.bridge(BridgeSpec.parse(bridge));
        if (!noDemo) {
            DemoRoutes.addTo(builder);
        }
        if (log != null) {
            builder.onTransactionDone(log::log);
        }
        TlsSettings tls = tlsSettings();
        if (tls != null) {
            builder.tls(tls).httpsPort(httpsPort).redirectToHttps(redirectHttps);
            if (hstsSeconds != null) {
                builder.defaultHost(vh -> vh.hsts(Duration.ofSeconds(hstsSeconds), false));
            }
        } else if (redirectHttps || hstsSeconds != null) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new Main()),
                    (redirectHttps ? "--redirect-https" : "--hsts") + " needs HTTPS: add --tls-cert or --self-signed");
        }
        var built = new java.util.concurrent.atomic.AtomicReference<Server>();
        ops.addTo(builder, built::get, site.cache() == null ? () -> null : site.cache()::stats, () -> 1); // generation: 1 until reloads exist
        built.set(builder.build());
        return built.get().start();
    }

    /** The TLS settings the options ask for, or null for plain HTTP only. */
    private TlsSettings tlsSettings() throws IOException {
        if (tlsCert == null && !selfSigned) {
            if (tlsKey != null) {
                throw usageError("--tls-key needs --tls-cert");
            }
            return null;
        }
        if (tlsCert != null && selfSigned) {
            throw usageError("--self-signed and --tls-cert exclude each other");
        }
        if (selfSigned) {
            SelfSigned.Generated g = SelfSigned.generate(bind);
            selfSignedCertificate = g.certificate();
            return TlsSettings.builder().pkcs12(g.store(), g.password()).reloadCheck(Duration.ZERO).build();
        }
        String name = tlsCert.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".p12") || name.endsWith(".pfx")) {
            if (tlsKey != null) {
                throw usageError("--tls-key is not used with a PKCS#12 --tls-cert (the key is in the store)");
            }
            String password = tlsPasswordFile == null ? "" : Files.readString(tlsPasswordFile).strip();
            return TlsSettings.builder().pkcs12(tlsCert, password).build();
        }
        if (tlsKey == null) {
            throw usageError("--tls-cert " + tlsCert + " is a PEM chain: add --tls-key with its private key");
        }
        return TlsSettings.builder().certificate(tlsCert, tlsKey).build();
    }

    private static picocli.CommandLine.ParameterException usageError(String message) {
        return new picocli.CommandLine.ParameterException(new picocli.CommandLine(new Main()), message);
    }

    private static String[] splitPair(String value, String option) {
        int eq = value.indexOf('=');
        if (eq <= 0 || eq == value.length() - 1) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new Main()),
                    option + " expects KEY=VALUE, got '" + value + "'");
        }
        return new String[] {value.substring(0, eq).trim(), value.substring(eq + 1).trim()};
    }

    private static String hostForUrl(String bind) {
        if (bind.equals("0.0.0.0") || bind.equals("::")) {
            return "127.0.0.1";
        }
        return bind.contains(":") ? "[" + bind + "]" : bind;
    }

}
