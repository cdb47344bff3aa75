package dev.brigade.testing;

import dev.brigade.server.Server;
import dev.brigade.tls.TlsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The transport the protocol tests run over: plain TCP, or TLS when the system property
 * {@code brigade.test.transport} is {@code tls} (the build runs the protocol test classes a second
 * time that way). Servers get a TLS port with a certificate from a test CA; clients — raw sockets,
 * the JDK {@code HttpClient}, URLs — go to it and trust that CA.
 */
public final class TestTransport {

    private static final boolean TLS = "tls".equals(System.getProperty("brigade.test.transport"));
    private static TestCertificates ca;
    private static TestCertificates.Issued localhost;

    private TestTransport() {
    }

    public static boolean tls() {
        return TLS;
    }

    /** Adds a TLS port on any free port when running over TLS. */
    public static Server.Builder apply(Server.Builder b) {
        if (TLS) {
            TestCertificates.Issued cert = localhostCertificate();
            b.tls(TlsSettings.builder().certificate(cert.chain(), cert.key()).build()).httpsPort(0);
        }
        return b;
    }

    /** The port the tests talk to: the TLS port when running over TLS. */
    public static int port(Server server) {
        return TLS ? server.httpsPort() : server.port();
    }

    /** {@code http://127.0.0.1:PORT} or {@code https://127.0.0.1:PORT}. */
    public static String base(Server server) {
        return (TLS ? "https" : "http") + "://127.0.0.1:" + port(server);
    }

    public static URI uri(Server server, String pathAndQuery) {
        return URI.create(base(server) + pathAndQuery);
    }

    /** An HTTP/1.1 client builder that trusts the test CA when running over TLS. */
    public static HttpClient.Builder httpClient() {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
        if (TLS) {
            b.sslContext(clientContext());
        }
        return b;
    }

    /** A connected socket: TLS (handshake done) when running over TLS. */
    public static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        if (!TLS) {
            return s;
        }
        SSLSocket tls = (SSLSocket) clientContext().getSocketFactory().createSocket(s, "localhost", port, true);
        tls.startHandshake();
        return tls;
    }

    /** curl options that make it trust the test CA when running over TLS. */
    public static String[] curlOptions() {
        if (!TLS) {
            return new String[0];
        }
        localhostCertificate();
        return new String[] {"--cacert", ca.caFile().toString()};
    }

    public static synchronized SSLContext clientContext() {
        localhostCertificate();
        return ca.clientContext();
    }

    /** The test CA's certificate for localhost (and 127.0.0.1, ::1), made once per test JVM. */
    public static synchronized TestCertificates.Issued localhostCertificate() {
        if (localhost == null) {
            try {
                Path dir = Files.createTempDirectory("brigade-test-ca");
                dir.toFile().deleteOnExit();
                ca = TestCertificates.in(dir);
                localhost = ca.issue("localhost", "localhost");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return localhost;
    }
}
