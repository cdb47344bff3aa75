package dev.brigade.cli;

import dev.brigade.server.HeapReturn;
import dev.brigade.server.Server;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A running {@code brigade serve}: starts the server its settings describe, prints the addresses
 * it listens on, reloads on SIGHUP (the config file, the access log file, the certificates), and on
 * SIGTERM or Ctrl-C turns readiness off, waits {@code --drain-delay}, drains, and returns 0.
 */
final class Serving {

    private static final System.Logger LOG = System.getLogger("dev.brigade.cli");

    /** Reads the settings again (the config file as it is now). */
    interface Reread {
        ServeCommand settings() throws ConfigException;
    }

    private final ServeCommand initial;
    private final Reread reread;
    private final Health health = new Health();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private SiteAssembly assembly;
    private AccessLog accessLog;
    private Server server;
    private Path sampleRoot;

    Serving(ServeCommand settings, Reread reread) {
        this.initial = settings;
        this.reread = reread;
    }

    /** Serves until SIGTERM or Ctrl-C, then drains; returns the exit code. */
    int run() throws Exception {
        ServeCommand s = initial;
        ErrorLog.configure(s.logLevel);
        List<String> heapFlags = HeapReturn.apply();
        LOG.log(System.Logger.Level.DEBUG, heapFlags.isEmpty()
                ? "heap flags unchanged (not G1, set by the operator, or not HotSpot)"
                : "free heap goes back to the system: " + String.join(" ", heapFlags));
        checkBindAddress(s.bind);
        accessLog = openAccessLog(s);
        assembly = new SiteAssembly(s, sampleRootIfNeeded(s), health, () -> server, null);
        try {
            server = assembly.builder(accessLog == null ? null : accessLog::log).build().start();
        } catch (RuntimeException e) {
            if (accessLog != null) {
                accessLog.close();
            }
            throw e;
        }
        // before the banner: whoever waits for it (a supervisor, a test) may signal at once, and a
        // SIGTERM that finds the JVM's default handler exits 143 without draining
        if (!Signals.on("HUP", this::reload)) {
            System.err.println("brigade: warning: SIGHUP was ignored when this process started (nohup?), so kill -HUP"
                    + " will not reload; start brigade without nohup (setsid, systemd) to reload by signal");
        }
        Signals.on("TERM", this::requestStop);
        Signals.on("INT", this::requestStop);
        System.err.println("brigade: serving " + (s.root != null ? s.root : "the bundled sample site") + " on "
                + String.join(" and ", urls(server.address(), "http")) + wildcardNote(server.address())
                + (server.httpsPort() > 0 ? "; HTTPS on " + String.join(" and ", urls(server.httpsAddress(), "https")) : ""));
        if (s.selfSignedCertificate != null) {
            System.err.println("brigade: self-signed certificate for localhost: " + s.selfSignedCertificate
                    + " (trust it with curl --cacert " + s.selfSignedCertificate + ")");
        }
        stopRequested.await();
        stop(s);
        return 0;
    }

    private void requestStop() {
        if (stopRequested.getCount() == 0) {
            System.err.println("brigade: second stop signal: exiting at once");
            System.exit(1);
        }
        stopRequested.countDown();
    }

    /** SIGHUP: the new settings for new requests, or one log line and the old ones if they are bad. */
    synchronized void reload() {
        long before = server.configGeneration();
        try {
            ServeCommand next = reread.settings();
            AccessLog nextLog = openAccessLog(next);
            SiteAssembly nextAssembly = new SiteAssembly(next, sampleRootIfNeeded(next), health, () -> server, assembly);
            List<String> kept;
            try {
                kept = server.reload(nextAssembly.builder(nextLog == null ? null : nextLog::log));
            } catch (RuntimeException e) {
                if (nextLog != null) {
                    nextLog.close();
                }
                throw e;
            }
            AccessLog oldLog = accessLog;
            accessLog = nextLog;
            assembly = nextAssembly;
            if (oldLog != null) {
                // transactions that picked the old hook just before the swap still find it open
                Thread.ofVirtual().start(() -> {
                    sleepQuietly(Duration.ofSeconds(1));
                    oldLog.close();
                });
            }
            server.reloadCertificates();
            LOG.log(System.Logger.Level.INFO, "reloaded " + (next.configFile != null ? next.configFile : "the settings")
                    + ": configuration " + server.configGeneration() + hostsNote(next)
                    + (kept.isEmpty() ? "" : "; unchanged until a restart: " + String.join(", ", kept)));
        } catch (ConfigException | StartupException | IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "reload rejected, configuration " + before + " stays: "
                    + (e instanceof ConfigException ? "" : e.getClass().getSimpleName() + ": ") + e.getMessage());
        }
    }

    private void stop(ServeCommand s) {
        health.notReady();
        if (s.drainDelaySeconds > 0) {
            System.err.println("brigade: stopping: /readyz answers 503; still serving for " + s.drainDelaySeconds + " s");
            sleepQuietly(Duration.ofSeconds(s.drainDelaySeconds));
        }
        System.err.println("brigade: stopping (up to " + s.shutdownSeconds + " s for requests in flight)");
        server.stop(Duration.ofSeconds(s.shutdownSeconds));
        if (accessLog != null) {
            accessLog.close();
        }
        System.err.println("brigade: stopped: " + summary(server));
    }

    /**
     * What an operator should know at the end: requests served, 503s shed by the bridge, completions
     * dropped because their connection closed first, TLS handshakes.
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

    private Path sampleRootIfNeeded(ServeCommand s) throws IOException {
        if (s.root == null && sampleRoot == null) {
            sampleRoot = SampleSite.extract();
        }
        return sampleRoot;
    }

    private static AccessLog openAccessLog(ServeCommand s) throws StartupException {
        try {
            return AccessLog.open(s.accessLog, s.accessLogFormat);
        } catch (IOException e) {
            throw new StartupException("--access-log " + s.accessLog + ": cannot open it: " + StartupException.reason(e));
        }
    }

    /** A bind address that does not resolve is an error, never "every interface". */
    private static void checkBindAddress(String bind) throws StartupException {
        try {
            InetAddress.getByName(bind);
        } catch (java.net.UnknownHostException e) {
            throw new StartupException("--bind " + bind + ": no such address or host name");
        }
    }

    /** Every URL the bound address answers on: each interface's address when bound to a wildcard. */
    static List<String> urls(InetSocketAddress bound, String scheme) {
        List<String> urls = new ArrayList<>();
        InetAddress a = bound.getAddress();
        List<InetAddress> addresses = new ArrayList<>();
        if (a.isAnyLocalAddress()) {
            try {
                for (NetworkInterface ni : NetworkInterface.networkInterfaces().toList()) {
                    if (!ni.isUp()) {
                        continue;
                    }
                    ni.inetAddresses().filter(ia -> !(a instanceof Inet4Address) || ia instanceof Inet4Address)
                            .filter(ia -> !ia.isLinkLocalAddress()).forEach(addresses::add);
                }
            } catch (SocketException e) {
                addresses.add(InetAddress.getLoopbackAddress());
            }
            addresses.sort(java.util.Comparator.comparing((InetAddress ia) -> !ia.isLoopbackAddress())
                    .thenComparing(ia -> ia instanceof Inet4Address ? 0 : 1));
        } else {
            addresses.add(a);
        }
        for (InetAddress ia : addresses) {
            String host = ia.getHostAddress();
            int zone = host.indexOf('%');
            host = zone >= 0 ? host.substring(0, zone) : host;
            urls.add(scheme + "://" + (ia instanceof Inet4Address ? host : "[" + host + "]") + ":" + bound.getPort() + "/");
        }
        return urls;
    }

    private static String wildcardNote(InetSocketAddress bound) {
        if (!bound.getAddress().isAnyLocalAddress()) {
            return "";
        }
        return bound.getAddress() instanceof Inet4Address ? " (every IPv4 interface)" : " (every interface)";
    }

    private static String hostsNote(ServeCommand s) {
        if (s.hosts.isEmpty()) {
            return "";
        }
        return ", hosts " + String.join(", ", s.hosts.stream().map(h -> h.names().getFirst()).toList());
    }

    private static void sleepQuietly(Duration d) {
        try {
            TimeUnit.MILLISECONDS.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
