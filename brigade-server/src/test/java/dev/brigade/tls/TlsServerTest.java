package dev.brigade.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brigade.dispatch.Bridges;
import dev.brigade.server.Server;
import dev.brigade.testing.TestCertificates;
import dev.brigade.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS port from outside, with real clients: the JDK's {@code SSLSocket} and {@code HttpClient},
 * curl and openssl; certificates from a test CA, files as operators hold them.
 */
class TlsServerTest {

    @TempDir
    Path dir;

    private TestCertificates ca;
    private TestCertificates.Issued defaultCert;
    private final List<LogRecord> connectionLog = new CopyOnWriteArrayList<>();
    private final Handler logCapture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            connectionLog.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void setUp() {
        ca = TestCertificates.in(dir);
        defaultCert = ca.issue("default", "localhost");
        Logger.getLogger("dev.brigade.conn.Connection").addHandler(logCapture);
    }

    @AfterEach
    void tearDown() {
        Logger.getLogger("dev.brigade.conn.Connection").removeHandler(logCapture);
    }

    private TestServer start(java.util.function.Consumer<Server.Builder> more) {
        return TestServer.start(b -> {
            b.tls(TlsSettings.builder().certificate(defaultCert.chain(), defaultCert.key())
                    .reloadCheck(Duration.ofMillis(50)).build()).httpsPort(0);
            b.get("/hello", (req, res) -> res.send("hello over " + req.scheme()));
            more.accept(b);
        });
    }

    private SSLSocket tlsSocket(int port, String sniName, String... protocols) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        plain.setSoTimeout(10_000);
        SSLSocket s = (SSLSocket) ca.clientContext().getSocketFactory().createSocket(plain, "localhost", port, true);
        SSLParameters p = s.getSSLParameters();
        if (sniName != null) {
            p.setServerNames(List.of(new SNIHostName(sniName)));
        }
        if (protocols.length > 0) {
            p.setProtocols(protocols);
        }
        p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }

    private static String cn(SSLSocket s) throws IOException {
        X509Certificate leaf = (X509Certificate) s.getSession().getPeerCertificates()[0];
        return leaf.getSubjectX500Principal().getName();
    }

    @Test
    void httpClientFetchesOverTls13And12WithKeepAlive() throws Exception {
        try (TestServer ts = start(b -> { })) {
            URI uri = URI.create("https://localhost:" + ts.server().httpsPort() + "/hello");
            for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
                SSLParameters p = new SSLParameters();
                p.setProtocols(new String[] {protocol});
                try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .sslContext(ca.clientContext()).sslParameters(p).build()) {
                    for (int i = 0; i < 3; i++) {
                        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                        assertThat(r.statusCode()).isEqualTo(200);
                        assertThat(r.body()).isEqualTo("hello over https");
                        assertThat(r.sslSession().orElseThrow().getProtocol()).isEqualTo(protocol);
                    }
                }
            }
            var served = ts.nextTransactions(6, Duration.ofSeconds(5));
            assertThat(served.stream().map(t -> t.connectionId()).distinct()).as("3 requests per connection").hasSize(2);
            assertThat(ts.server().tlsStats().handshakesByProtocol()).containsEntry("TLSv1.3", 1L).containsEntry("TLSv1.2", 1L);
            // the plain port still serves plain HTTP
            try (HttpClient plain = HttpClient.newHttpClient()) {
                HttpResponse<String> r = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ts.server().port()
                        + "/hello")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.body()).isEqualTo("hello over http");
            }
        }
    }

    @Test
    void pipelinedRequestsOverTlsAreAnsweredInOrder() throws Exception {
        try (TestServer ts = start(b -> b.get("/n/{i}", (req, res) -> res.send("n" + req.pathParam("i"))));
             SSLSocket s = tlsSocket(ts.server().httpsPort(), null)) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                batch.append("GET /n/").append(i).append(" HTTP/1.1\r\nHost: localhost\r\n\r\n");
            }
            s.getOutputStream().write(batch.toString().getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String all = readUntil(s.getInputStream(), "n19");
            for (int i = 0; i < 20; i++) {
                assertThat(all).contains("\r\n\r\nn" + i);
            }
            assertThat(all.indexOf("n3")).isLessThan(all.indexOf("n4"));
        }
    }

    @Test
    void aCleanCloseSendsCloseNotifyBeforeTheFin() throws Exception {
        try (TestServer ts = start(b -> { })) {
            String out = run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + ts.server().httpsPort(),
                    "-servername", "localhost", "-ign_eof", "-quiet"),
                    "GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(out).contains("hello over https");
            assertThat(out).as("openssl saw no close_notify").doesNotContain("unexpected eof");
        }
    }

    @Test
    void alpnSelectsHttp11() throws Exception {
        try (TestServer ts = start(b -> { }); SSLSocket s = tlsSocket(ts.server().httpsPort(), null)) {
            assertThat(s.getApplicationProtocol()).isEqualTo("http/1.1");
        }
    }

    @Test
    void sniChoosesTheVirtualHostsCertificateAndTheDefaultOtherwise() throws Exception {
        TestCertificates.Issued a = ca.issue("a", "a.test");
        TestCertificates.Issued wild = ca.issue("wild", "*.b.test");
        try (TestServer ts = start(b -> b
                .virtualHost("a.test", vh -> vh.certificate(a.chain(), a.key()).get("/", (req, res) -> res.send("A")))
                .virtualHost("*.b.test", vh -> vh.certificate(wild.chain(), wild.key())))) {
            int port = ts.server().httpsPort();
            try (SSLSocket s = tlsSocket(port, "a.test")) {
                assertThat(cn(s)).isEqualTo("CN=a.test");
            }
            try (SSLSocket s = tlsSocket(port, "x.b.test")) {
                assertThat(cn(s)).isEqualTo("CN=*.b.test");
            }
            try (SSLSocket s = tlsSocket(port, "unknown.test")) {
                assertThat(cn(s)).isEqualTo("CN=localhost");
            }
            try (SSLSocket s = tlsSocket(port, null)) {
                assertThat(cn(s)).isEqualTo("CN=localhost");
            }
            // and as openssl sees it
            assertThat(opensslSubject(port, "a.test")).contains("0 s:CN = a.test").doesNotContain("CN = localhost");
            assertThat(opensslSubject(port, "unknown.test")).contains("0 s:CN = localhost");
        }
    }

    @Test
    void curlWithTheCaFetchesOverTls13And12() throws Exception {
        try (TestServer ts = start(b -> { })) {
            String url = "https://localhost:" + ts.server().httpsPort() + "/hello";
            for (String[] version : new String[][] {{"--tlsv1.3"}, {"--tlsv1.2", "--tls-max", "1.2"}}) {
                List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-sS", "--http1.1", "--cacert", ca.caFile().toString(),
                        "--resolve", "localhost:" + ts.server().httpsPort() + ":127.0.0.1", "-w", "|%{ssl_verify_result}"));
                cmd.addAll(List.of(version));
                cmd.addAll(List.of(url, url)); // two requests: one connection, reused
                String out = run(cmd);
                assertThat(out).isEqualTo("hello over https|0hello over https|0");
            }
        }
    }

    @Test
    void rsaCertificateFromPkcs12Works() throws Exception {
        TestCertificates.Issued rsa = ca.issueWithKey("RSA", "rsa", "localhost");
        Path p12 = ca.pkcs12(rsa, "rsa.p12", "s3cret");
        try (TestServer ts = TestServer.start(b -> b.tls(TlsSettings.builder().pkcs12(p12, "s3cret").build()).httpsPort(0)
                .get("/", (req, res) -> res.send("ok")));
             SSLSocket s = tlsSocket(ts.server().httpsPort(), null)) {
            assertThat(s.getSession().getPeerCertificates()[0].getPublicKey().getAlgorithm()).isEqualTo("RSA");
        }
    }

    @Test
    void badCertificateFilesFailTheStartWithOneLine() throws IOException {
        Path notAKey = Files.writeString(dir.resolve("bad.key"), "not a key\n");
        Path pkcs1 = Files.writeString(dir.resolve("rsa1.key"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        TestCertificates.Issued other = ca.issue("other", "other.test");
        assertThatThrownBy(() -> Server.builder().port(0).tls(TlsSettings.builder().certificate(defaultCert.chain(), notAKey).build())
                .build().start()).isInstanceOf(TlsConfigException.class).hasMessageContaining("bad.key").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> Server.builder().port(0).tls(TlsSettings.builder().certificate(defaultCert.chain(), pkcs1).build())
                .build().start()).hasMessageContaining("openssl pkcs8 -topk8");
        assertThatThrownBy(() -> Server.builder().port(0).tls(TlsSettings.builder().certificate(defaultCert.chain(), other.key()).build())
                .build().start()).hasMessageContaining("does not belong");
        assertThatThrownBy(() -> Server.builder().port(0).tls(TlsSettings.builder()
                .certificate(dir.resolve("missing.pem"), defaultCert.key()).build()).build().start())
                .hasMessageContaining("missing.pem: no such file");
    }

    @Test
    void replacedFilesAreUsedByNewConnectionsWhileOpenOnesKeepWorking() throws Exception {
        try (TestServer ts = start(b -> { })) {
            int port = ts.server().httpsPort();
            SSLSocket open = tlsSocket(port, null);
            assertThat(get(open, "/hello")).contains("hello over https");
            String oldSerial = ((X509Certificate) open.getSession().getPeerCertificates()[0]).getSerialNumber().toString();

            // a bad replacement first: refused, the old certificate stays
            Files.writeString(defaultCert.key(), "garbage\n");
            TestServer.await(() -> ts.server().tlsStats().reloadFailures() >= 1, Duration.ofSeconds(10), () -> "bad file noticed");
            try (SSLSocket s = tlsSocket(port, null)) {
                assertThat(serial(s)).isEqualTo(oldSerial);
            }
            TestCertificates.Issued renewed = ca.issue("default", "localhost"); // same files, new certificate
            TestServer.await(() -> ts.server().tlsStats().reloads() >= 1, Duration.ofSeconds(10), () -> "new files noticed");
            try (SSLSocket s = tlsSocket(port, null)) {
                assertThat(serial(s)).isEqualTo(renewed.certificate().getSerialNumber().toString()).isNotEqualTo(oldSerial);
            }
            assertThat(get(open, "/hello")).as("the connection opened before").contains("hello over https");
            open.close();
        }
    }

    @Test
    void aClientThatSendsNothingIsClosedAtTheHandshakeDeadline() throws Exception {
        try (TestServer ts = start(b -> b.headerTimeout(Duration.ofMillis(500), Duration.ofSeconds(2)));
             Socket s = new Socket("127.0.0.1", ts.server().httpsPort())) {
            s.setSoTimeout(10_000);
            long t0 = System.nanoTime();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            ts.awaitNoConnections(Duration.ofSeconds(5));
        }
    }

    @Test
    void aSlowHandshakeIsNotExtendedByTheBytesItSends() throws Exception {
        byte[] hello = clientHello();
        try (TestServer ts = start(b -> b.headerTimeout(Duration.ofMillis(500), Duration.ofSeconds(2)));
             Socket s = new Socket("127.0.0.1", ts.server().httpsPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            long t0 = System.nanoTime();
            try {
                for (int i = 0; i < hello.length - 1 && System.nanoTime() - t0 < 8_000_000_000L; i++) {
                    out.write(hello[i]);
                    out.flush();
                    Thread.sleep(20); // a byte every 20 ms: slowloris on the handshake
                }
            } catch (IOException closedByServer) {
                // expected once the deadline passed
            }
            drainToEof(s.getInputStream()); // an alert at most, then the end
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            ts.awaitNoConnections(Duration.ofSeconds(5));
        }
    }

    @Test
    void garbageInsteadOfAClientHelloIsClosedWithOneLogLine() throws Exception {
        try (TestServer ts = start(b -> { }); Socket s = new Socket("127.0.0.1", ts.server().httpsPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(new byte[] {0x17, 0x03, 0x03, 0x00, 0x05, 1, 2, 3, 4, 5, 6, 7, 8});
            s.getOutputStream().flush();
            drainToEof(s.getInputStream());
            ts.awaitNoConnections(Duration.ofSeconds(5));
            assertThat(ts.server().tlsStats().failures()).isEqualTo(1);
            assertOneLogLine("TLS handshake failed");
        }
    }

    @Test
    void aTruncatedHandshakeIsClosedWithOneLogLine() throws Exception {
        byte[] hello = clientHello();
        try (TestServer ts = start(b -> { }); Socket s = new Socket("127.0.0.1", ts.server().httpsPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(hello, 0, hello.length / 2);
            s.getOutputStream().flush();
            s.shutdownOutput();
            drainToEof(s.getInputStream());
            ts.awaitNoConnections(Duration.ofSeconds(5));
            assertThat(ts.server().tlsStats().failures()).isEqualTo(1);
            assertOneLogLine("closed the connection during");
        }
    }

    @Test
    void plainHttpOnTheTlsPortIsAnswered400() throws Exception {
        try (TestServer ts = start(b -> { }); Socket s = new Socket("127.0.0.1", ts.server().httpsPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String response = new String(drainToEof(s.getInputStream()), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 400 ").contains("Connection: close");
            assertThat(ts.server().tlsStats().plainHttpRequests()).isEqualTo(1);
            assertOneLogLine("plain HTTP request sent to the TLS port");
        }
    }

    @Test
    void tls12RenegotiationIsRefused() throws Exception {
        try (TestServer ts = start(b -> { }); SSLSocket s = tlsSocket(ts.server().httpsPort(), null, "TLSv1.2")) {
            assertThat(get(s, "/hello")).contains("hello over https");
            try {
                s.startHandshake(); // renegotiation, client initiated
                s.getOutputStream().write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            } catch (IOException refused) {
                // the server closed the connection: also a refusal
            }
            TestServer.await(() -> ts.server().tlsStats().renegotiationsRefused() == 1, Duration.ofSeconds(5), () -> "refused");
        }
    }

    @Test
    void hstsOnlyOverTlsAndThePlainPortRedirects() throws Exception {
        try (TestServer ts = start(b -> b.redirectToHttps(true).virtualHost("localhost", vh -> vh
                .hsts(Duration.ofDays(365), true).get("/hello", (req, res) -> res.send("hi"))))) {
            try (HttpClient client = HttpClient.newBuilder().sslContext(ca.clientContext()).build()) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + ts.server().httpsPort()
                        + "/hello")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000; includeSubDomains");
                HttpResponse<String> plain = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + ts.server().port()
                        + "/hello?x=1")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(plain.statusCode()).isEqualTo(301);
                assertThat(plain.headers().firstValue("Location")).hasValue("https://localhost:" + ts.server().httpsPort() + "/hello?x=1");
                assertThat(plain.headers().firstValue("Strict-Transport-Security")).isEmpty();
                HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + ts.server().port()
                        + "/form")).POST(HttpRequest.BodyPublishers.ofString("a=1")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(post.statusCode()).isEqualTo(308);
            }
        }
    }

    @Test
    void aLargeFileReachesASlowReaderByteExactWhileOthersAreServedAndOutputStaysBounded() throws Exception {
        byte[] data = new byte[16 * 1024 * 1024 + 12345];
        new Random(42).nextBytes(data);
        Path file = Files.write(dir.resolve("big.bin"), data);
        try (TestServer ts = start(b -> b.bridge(Bridges.pool(1, 8))
                .get("/big", (req, res) -> res.sendFile(file))
                .get("/cached", (req, res) -> res.send(ByteBuffer.wrap(data, 0, 200_000))));
             SSLSocket slow = tlsSocket(ts.server().httpsPort(), null)) {
            long directBefore = directMemoryUsed();
            slow.getOutputStream().write("GET /big HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
            InputStream in = slow.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200").contains("Content-Length: " + data.length);
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[16 * 1024];
            long got = 0;
            boolean checkedMidway = false;
            while (got < data.length) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, data.length - got));
                assertThat(n).isPositive();
                md.update(buf, 0, n);
                got += n;
                if (!checkedMidway && got > 1024 * 1024) {
                    // mid-download, with the only worker free again: another client is served at once
                    try (SSLSocket other = tlsSocket(ts.server().httpsPort(), null)) {
                        assertThat(get(other, "/hello")).contains("hello over https");
                    }
                    // the file is encrypted as the client reads, not ahead of it: what the server
                    // holds is the connection's budget and a few records, not the 16 MB still to go
                    assertThat(directMemoryUsed() - directBefore).as("direct memory held mid-download")
                            .isLessThan(2L * 1024 * 1024);
                    checkedMidway = true;
                }
                if (got < 3 * 1024 * 1024) {
                    Thread.sleep(1); // a slow reader for the first part
                }
            }
            assertThat(md.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
            assertThat(get(slow, "/cached")).as("a cached body on the same connection after it").contains("200 OK");
        }
    }

    private static long directMemoryUsed() {
        for (var pool : java.lang.management.ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getMemoryUsed();
            }
        }
        throw new AssertionError("no direct buffer pool");
    }

    // ---- helpers -----------------------------------------------------------------------------

    private void assertOneLogLine(String text) {
        TestServer.await(() -> connectionLog.stream().anyMatch(r -> r.getMessage().contains(text)), Duration.ofSeconds(5),
                () -> "a log line containing " + text);
        List<LogRecord> lines = connectionLog.stream().filter(r -> r.getLevel().intValue() >= java.util.logging.Level.INFO.intValue())
                .toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst().getThrown()).as("no stack trace").isNull();
    }

    private static String serial(SSLSocket s) throws IOException {
        return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber().toString();
    }

    private static String get(SSLSocket s, String path) throws IOException {
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        String head = readHead(in);
        int length = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        byte[] body = in.readNBytes(length);
        return head + new String(body, StandardCharsets.ISO_8859_1);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed in the head: " + head);
            }
            head.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static String readUntil(InputStream in, String marker) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!all.toString(StandardCharsets.ISO_8859_1).contains(marker)) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            all.write(buf, 0, n);
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] drainToEof(InputStream in) throws IOException {
        try {
            return in.readAllBytes();
        } catch (java.net.SocketException reset) {
            return new byte[0]; // a reset is a close, too
        }
    }

    /** A real ClientHello, as the JDK's client engine writes it. */
    private byte[] clientHello() throws Exception {
        SSLContext ctx = ca.clientContext();
        SSLEngine client = ctx.createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
        client.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        return hello;
    }

    private static String opensslSubject(int port, String serverName) throws Exception {
        return run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", serverName), "");
    }

    private static String run(List<String> cmd) throws Exception {
        return run(cmd, null);
    }

    private static String run(List<String> cmd, String stdin) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(stdin != null).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.US_ASCII));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
