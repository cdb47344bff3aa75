package dev.brigade.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway certificate for the TLS benchmarks, made by the JDK's keytool (EC P-256, localhost
 * and 127.0.0.1), as a PKCS#12 store plus PEM files for nginx and Netty: the same key for every
 * server in a run, so they do the same cryptography.
 */
record BenchCertificate(Path store, String password, Path certPem, Path keyPem) {

    /** Writes bench.p12, bench.pem and bench.key into the directory given (for run-tls). */
    public static void main(String[] args) throws Exception {
        make(Path.of(args[0]));
    }

    static BenchCertificate make(Path dir) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path store = dir.resolve("bench.p12");
        String password = "bench-only";
        run(List.of(keytool.toString(), "-genkeypair", "-alias", "bench", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "7",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", password));
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(store)) {
                ks.load(in, password.toCharArray());
            }
            X509Certificate cert = (X509Certificate) ks.getCertificate("bench");
            var key = ks.getKey("bench", password.toCharArray());
            Path certPem = Files.writeString(dir.resolve("bench.pem"), pem("CERTIFICATE", cert.getEncoded()));
            Path keyPem = Files.writeString(dir.resolve("bench.key"), pem("PRIVATE KEY", key.getEncoded()));
            return new BenchCertificate(store, password, certPem, keyPem);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("reading the bench certificate back: " + e.getMessage(), e);
        }
    }

    /** A client context that trusts this certificate only. */
    SSLContext clientContext() throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(store)) {
                ks.load(in, password.toCharArray());
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("bench", ks.getCertificate("bench"));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + out);
        }
    }
}
