package dev.brigade.tls;

import dev.brigade.filter.Transport;
import dev.brigade.loop.EventLoop;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * One TLS port's shared state: the JDK {@link SSLContext} with a key manager that picks the
 * certificate by SNI, the engine parameters (TLS 1.3 and 1.2, forward-secret AEAD suites in the
 * JDK's order with the server's preference, ALPN), the threads that run handshake tasks off the
 * loops, the certificate reload check and the counters. Each connection gets a {@link Transport}
 * (a TLS filter pair) from {@link #newTransport}.
 */
public final class TlsContext implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TlsContext.class.getName());

    private final CertificateStore certificates;
    private final SSLContext sslContext;
    private final SSLParameters parameters;
    private final List<String> applicationProtocols;
    private final int recordBytes;
    private final TlsStats stats = new TlsStats();
    private final ExecutorService tasks;
    private final ScheduledExecutorService reloader;
    private final Map<EventLoop, TlsBuffers> buffers = new ConcurrentHashMap<>();

    private TlsContext(TlsSettings settings) {
        this.certificates = new CertificateStore(settings.certificate(), settings.sni());
        try {
            this.sslContext = SSLContext.getInstance("TLS");
            sslContext.init(new KeyManager[] {new SniKeyManager(certificates)}, null, null);
        } catch (GeneralSecurityException e) {
            throw new TlsConfigException("the JDK cannot set up TLS: " + e.getMessage(), e);
        }
        SSLEngine probe = sslContext.createSSLEngine();
        this.parameters = parameters(probe, settings);
        this.applicationProtocols = settings.applicationProtocols();
        this.recordBytes = Math.max(probe.getSession().getPacketBufferSize(), probe.getSession().getApplicationBufferSize());
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.tasks = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name("brigade-tls-task-", 0).factory());
        if (settings.reloadCheck().isZero()) {
            this.reloader = null;
        } else {
            this.reloader = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("brigade-tls-reload").factory());
            long every = settings.reloadCheck().toMillis();
            reloader.scheduleWithFixedDelay(this::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** Loads the certificates and sets up TLS; a file that cannot be used throws {@link TlsConfigException}. */
    public static TlsContext start(TlsSettings settings) {
        return new TlsContext(settings);
    }

    private static SSLParameters parameters(SSLEngine probe, TlsSettings settings) {
        SSLParameters p = probe.getSSLParameters();
        List<String> supported = List.of(probe.getSupportedProtocols());
        List<String> protocols = settings.protocols().stream().filter(supported::contains).toList();
        if (protocols.isEmpty()) {
            throw new TlsConfigException("this JDK supports none of the TLS protocols asked for: " + settings.protocols());
        }
        p.setProtocols(protocols.toArray(String[]::new));
        List<String> suites = new ArrayList<>();
        for (String suite : probe.getEnabledCipherSuites()) { // the JDK's recommended order
            boolean tls13 = suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_");
            boolean forwardSecretAead = suite.startsWith("TLS_ECDHE_") && (suite.contains("_GCM_") || suite.contains("CHACHA20"));
            if (tls13 || forwardSecretAead) {
                suites.add(suite);
            }
        }
        p.setCipherSuites(suites.toArray(String[]::new));
        p.setUseCipherSuitesOrder(true);
        p.setNeedClientAuth(false);
        return p;
    }

    /** A new engine for one connection, server side, with this port's parameters. */
    SSLEngine newEngine() {
        SSLEngine engine = sslContext.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(parameters);
        // ALPN: pick ours among the client's offers; none in common is no ALPN, not a failed handshake
        engine.setHandshakeApplicationProtocolSelector((e, offered) -> {
            for (String ours : applicationProtocols) {
                if (offered.contains(ours)) {
                    return ours;
                }
            }
            return "";
        });
        return engine;
    }

    /** The TLS filter pair for a new connection on {@code loop}; on that loop's thread. */
    public Transport newTransport(EventLoop loop) {
        TlsBuffers b = buffers.computeIfAbsent(loop, l -> new TlsBuffers(recordBytes));
        TlsSession session = new TlsSession(this, b, newEngine());
        return new Transport(session.input(), session.output());
    }

    /** Runs a handshake's delegated tasks (key exchange, signatures) off the loops. */
    void runTask(Runnable task) {
        try {
            tasks.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            task.run(); // shutting down: finish on this thread rather than leave the handshake hanging
        }
    }

    private void reloadIfChanged() {
        try {
            Boolean reloaded = certificates.reloadIfChanged(); // logged by the store either way
            if (reloaded != null) {
                stats.reload(reloaded);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "TLS certificate reload check failed: " + e);
        }
    }

    /** Loads the certificate files again now (SIGHUP); false if one could not be used (logged; the old ones stay). */
    public boolean reloadCertificates() {
        boolean ok = certificates.reload();
        stats.reload(ok);
        return ok;
    }

    public TlsStats stats() {
        return stats;
    }

    @Override
    public void close() {
        tasks.shutdown();
        if (reloader != null) {
            reloader.shutdownNow();
        }
    }
}
