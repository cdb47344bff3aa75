package dev.brigade.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * {@code brigade serve}: its options, each checked by a converter as it is parsed (a bad value is
 * one line and exit 2, before anything starts), and the same options read from {@code --config}.
 * What runs is {@link Serving}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {
            "Serve a directory over HTTP/1.1 (and HTTPS).",
            "Without --root, serves a small bundled sample site with demo routes: /hello, /json,",
            "/echo (POST), /users/{id}, /stream, /slow?ms=N, /block?ms=N, /poll + /publish (POST), /dialup.",
            "SIGTERM and Ctrl-C stop gracefully (exit 0); SIGHUP reloads --config and the certificates."
        })
final class ServeCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Read settings from a YAML file whose keys are these options' long names (and 'hosts:' for virtual hosts); options given here win. SIGHUP reloads it.")
    Path configFile;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "8080", converter = Values.Port.class,
            description = "TCP port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = {"-b", "--bind"}, paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
            description = "Address to listen on: 0.0.0.0 or :: (every interface; the default is 0.0.0.0), 127.0.0.1 (this machine only), an interface address or a host name.")
    String bind;

    @Option(names = {"-l", "--loops"}, paramLabel = "N", converter = Values.Loops.class,
            description = "Number of event loops (default: available processors).")
    Integer loops;

    @Option(names = {"-r", "--root"}, paramLabel = "DIR",
            description = "Directory to serve (default: the bundled sample site, with the demo routes).")
    Path root;

    @Option(names = "--demo", description = "Add the demo routes when serving --root too (a file of the same name still wins).")
    boolean demo;

    @Option(names = "--no-demo", description = "Leave the demo routes out of the sample site.")
    boolean noDemo;

    @Option(names = "--health", description = "Answer GET /healthz (200 while running) and /readyz (503 from the moment a stop begins), for load balancers and Kubernetes.")
    boolean health;

    @Option(names = "--access-log", paramLabel = "FILE", defaultValue = "-",
            description = "Where the access log goes: a file, '-' for standard output, or 'off' (default: ${DEFAULT-VALUE}).")
    String accessLog;

    @Option(names = "--access-log-format", paramLabel = "FORMAT", defaultValue = "combined",
            description = "combined (Apache's, plus %%X), common, or json (one object per line) (default: ${DEFAULT-VALUE}).")
    AccessLog.Format accessLogFormat;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info",
            description = "Server log (standard error) threshold: error, warning, info or debug (default: ${DEFAULT-VALUE}).")
    ErrorLog.Level logLevel;

    @Option(names = "--shutdown-timeout", paramLabel = "SECONDS", defaultValue = "10", converter = Values.Seconds.class,
            description = "On SIGTERM or Ctrl-C, how long in-flight responses may take before connections are cut (default: ${DEFAULT-VALUE}).")
    int shutdownSeconds;

    @Option(names = "--drain-delay", paramLabel = "SECONDS", defaultValue = "0", converter = Values.Seconds.class,
            description = "On SIGTERM, keep serving this long with /readyz at 503 (so a load balancer stops sending) before draining (default: ${DEFAULT-VALUE}).")
    int drainDelaySeconds;

    @Option(names = "--listing", description = "List directories without an index file (HTML, or JSON for Accept: application/json).")
    boolean listing;

    @Option(names = "--show-hidden", description = "Serve dot-files (hidden by default).")
    boolean showHidden;

    @Option(names = "--follow-symlinks-outside", description = "Follow symbolic links that lead outside the root.")
    boolean symlinksOutside;

    @Option(names = "--index", paramLabel = "NAME", defaultValue = "index.html", converter = Values.FileName.class,
            description = "Index file of a directory (default: ${DEFAULT-VALUE}).")
    String indexFile;

    @Option(names = "--cache-size", paramLabel = "BYTES", defaultValue = "64m", converter = Values.Size.class,
            description = "Memory cache for small hot files (k, m, g suffixes); 0 turns it off (default: ${DEFAULT-VALUE}).")
    long cacheBytes;

    @Option(names = "--cache-max-file", paramLabel = "BYTES", defaultValue = "64k", converter = Values.Size.class,
            description = "Largest file the memory cache holds (default: ${DEFAULT-VALUE}).")
    long cacheMaxFileBytes;

    @Option(names = "--cache-control", paramLabel = "GLOB=VALUE", converter = Values.CacheControlRule.class,
            description = "Cache-Control for paths matching GLOB, e.g. 'assets/**=public, max-age=31536000' (repeatable).")
    List<String> cacheControl = new ArrayList<>();

    @Option(names = "--mime", paramLabel = "EXT=TYPE", converter = Values.MimeRule.class,
            description = "Content type for a file extension, e.g. 'webmanifest=application/manifest+json' (repeatable).")
    List<String> mimeTypes = new ArrayList<>();

    @Option(names = "--no-precompressed", description = "Do not serve precompressed siblings (file.gz, file.br, file.zst).")
    boolean noPrecompressed;

    @Option(names = "--bridge", paramLabel = "KIND", defaultValue = "inline", converter = Values.BridgeKind.class,
            description = {"Where handlers run (default: ${DEFAULT-VALUE}):",
                "inline[:WARN_MS] (on the event loops; WARN_MS reports handlers that block them),",
                "pool:THREADS:BACKLOG (503 when full),",
                "virtual[:MAX] (a virtual thread per request), lazy:PER_HOST (per-virtual-host pools)."})
    String bridge;

    @Option(names = "--transport", paramLabel = "KIND", converter = Values.Transport.class,
            description = {"Socket transport: auto (epoll on Linux when native access is enabled, else nio), nio, or epoll",
                "(fails to start where it cannot run). Default: -Dbrigade.transport, else auto."})
    dev.brigade.server.SocketTransport transport;

    @Option(names = "--gzip", paramLabel = "LEVEL", defaultValue = "5", converter = Values.GzipLevel.class,
            description = "On-the-fly gzip level 1-9 for compressible responses of 1 KiB and more; 0 turns it off (default: ${DEFAULT-VALUE}).")
    int gzipLevel;

    @Option(names = "--header-timeout", paramLabel = "SECONDS", defaultValue = "20", converter = Values.Seconds.class,
            description = "Time for a request head (plus 1 s per 500 bytes, at most twice this), then 408 (default: ${DEFAULT-VALUE}).")
    int headerTimeoutSeconds;

    @Option(names = "--body-timeout", paramLabel = "SECONDS", defaultValue = "20", converter = Values.Seconds.class,
            description = "Time for the next piece of a request body, then 408 (default: ${DEFAULT-VALUE}).")
    int bodyTimeoutSeconds;

    @Option(names = "--keepalive-timeout", paramLabel = "SECONDS", defaultValue = "5", converter = Values.Seconds.class,
            description = "How long an idle keep-alive connection stays open (default: ${DEFAULT-VALUE}).")
    int keepAliveSeconds;

    @Option(names = "--keepalive-requests", paramLabel = "N", defaultValue = "100", converter = Values.Count.class,
            description = "Requests per connection before it is closed (default: ${DEFAULT-VALUE}).")
    int keepAliveRequests;

    @Option(names = "--write-timeout", paramLabel = "SECONDS", defaultValue = "60", converter = Values.Seconds.class,
            description = "How long a response may make no progress toward a slow reader (default: ${DEFAULT-VALUE}).")
    int writeTimeoutSeconds;

    @Option(names = "--max-body-size", paramLabel = "BYTES", defaultValue = "1g", converter = Values.Size.class,
            description = "Largest request body, else 413 (default: ${DEFAULT-VALUE}).")
    long maxBodyBytes;

    @Option(names = "--max-head-size", paramLabel = "BYTES", defaultValue = "32k", converter = Values.Size.class,
            description = "Largest request head (request line and fields), else 431 (default: ${DEFAULT-VALUE}).")
    long maxHeadBytes;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "Serve HTTPS on --https-port with this certificate: a PEM chain (leaf first) with --tls-key, or a PKCS#12 store (.p12, .pfx).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM PKCS#8 private key (RSA or EC) of --tls-cert.")
    Path tlsKey;

    @Option(names = "--tls-password-file", paramLabel = "FILE", description = "A file holding the password of a PKCS#12 --tls-cert.")
    Path tlsPasswordFile;

    @Option(names = "--self-signed", description = "Serve HTTPS with a certificate made now for localhost (for local use; its PEM file is printed).")
    boolean selfSigned;

    @Option(names = "--https-port", paramLabel = "PORT", defaultValue = "8443", converter = Values.Port.class,
            description = "TCP port for HTTPS, with --tls-cert or --self-signed (default: ${DEFAULT-VALUE}).")
    int httpsPort;

    @Option(names = "--redirect-https", description = "Answer every plain-HTTP request with a redirect to HTTPS.")
    boolean redirectHttps;

    @Option(names = "--hsts", paramLabel = "SECONDS", converter = Values.Seconds.class,
            description = "Send Strict-Transport-Security with this max-age on HTTPS responses.")
    Integer hstsSeconds;

    @picocli.CommandLine.Mixin
    OpsOptions ops = new OpsOptions(); // --status, --metrics and their allow lists

    /** Where the self-signed certificate went, once made. */
    Path selfSignedCertificate;

    /** The config file's virtual hosts (none without one). */
    List<HostConfig> hosts = List.of();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ServeCommand settings = configFile == null ? this : ConfigFile.load(configFile, commandLineOverrides());
        settings.check();
        return new Serving(settings, this::reread).run();
    }

    /** The settings again, from the config file as it is now (SIGHUP), or these when there is none. */
    private ServeCommand reread() throws ConfigException {
        if (configFile == null) {
            return this;
        }
        ServeCommand again = ConfigFile.load(configFile, commandLineOverrides());
        again.check();
        return again;
    }

    /** The options given on the command line besides --config, as arguments, to apply over the file. */
    private List<String> commandLineOverrides() {
        List<String> args = new ArrayList<>();
        for (OptionSpec opt : spec.commandLine().getParseResult().matchedOptions()) {
            if (opt.longestName().equals("--config")) {
                continue;
            }
            if (opt.typeInfo().isBoolean()) {
                args.add(opt.longestName());
            } else {
                for (String v : opt.originalStringValues()) {
                    args.add(opt.longestName());
                    args.add(v);
                }
            }
        }
        return args;
    }

    /** What no single converter can see: options that go together, directories that must exist. */
    void check() {
        if (root != null && !java.nio.file.Files.isDirectory(root)) {
            throw usageError("--root", "--root " + root + " is not a directory");
        }
        boolean https = tlsCert != null || selfSigned;
        if (!https && (redirectHttps || hstsSeconds != null)) {
            String opt = redirectHttps ? "--redirect-https" : "--hsts";
            throw usageError(opt, opt + " needs HTTPS: add --tls-cert or --self-signed");
        }
        if (tlsCert != null && selfSigned) {
            throw usageError("--self-signed", "--self-signed and --tls-cert exclude each other");
        }
        if (tlsKey != null && tlsCert == null) {
            throw usageError("--tls-key", "--tls-key needs --tls-cert");
        }
        if (tlsCert != null) {
            String name = tlsCert.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            boolean pkcs12 = name.endsWith(".p12") || name.endsWith(".pfx");
            if (pkcs12 && tlsKey != null) {
                throw usageError("--tls-key", "--tls-key is not used with a PKCS#12 --tls-cert (the key is in the store)");
            }
            if (!pkcs12 && tlsKey == null) {
                throw usageError("--tls-cert", "--tls-cert " + tlsCert + " is a PEM chain: add --tls-key with its private key");
            }
        }
        if (https && httpsPort == port && port != 0) {
            throw usageError("--https-port", "--https-port " + httpsPort + " is also --port");
        }
        if (demo && noDemo) {
            throw usageError("--demo", "--demo and --no-demo exclude each other");
        }
    }

    /** Whether the demo routes are on: in the sample-site mode unless --no-demo, with --root only on --demo. */
    boolean demoRoutes() {
        return root == null ? !noDemo : demo;
    }

    /** A usage error about {@code option} (so that the config file can name the line it came from). */
    static CommandLine.ParameterException usageError(String option, String message) {
        CommandLine cl = new CommandLine(new ServeCommand());
        return new CommandLine.ParameterException(cl, message, cl.getCommandSpec().findOption(option), null);
    }
}
