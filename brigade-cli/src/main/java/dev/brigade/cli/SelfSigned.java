package dev.brigade.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code --self-signed}: a certificate for local use, made by the JDK's own {@code keytool} (no
 * ASN.1 written here): an EC P-256 key, valid 30 days, for {@code localhost}, 127.0.0.1, ::1 and
 * the bind name. Written to a fresh temporary directory as a PKCS#12 store, with the certificate
 * also as PEM so that clients can trust it ({@code curl --cacert}).
 */
final class SelfSigned {

    /** The store and its password, and the PEM certificate for clients. */
    record Generated(Path store, String password, Path certificate) {
    }

    private SelfSigned() {
    }

    static Generated generate(String bindName) throws IOException {
        Path keytool = keytool().orElseThrow(() -> new IOException(
                "--self-signed needs the JDK's keytool next to the java running brigade; use --tls-cert and --tls-key instead"));
        Path dir = Files.createTempDirectory("brigade-self-signed-");
        Path store = dir.resolve("self-signed.p12");
        Path pem = dir.resolve("self-signed.pem");
        String password = Long.toHexString(new java.security.SecureRandom().nextLong());
        StringBuilder san = new StringBuilder("SAN=dns:localhost,ip:127.0.0.1,ip:::1");
        if (bindName != null && !bindName.isBlank() && !List.of("0.0.0.0", "::", "localhost", "127.0.0.1", "::1").contains(bindName)) {
            san.append(bindName.chars().anyMatch(Character::isLetter) && !bindName.contains(":")
                    ? ",dns:" + bindName : ",ip:" + bindName);
        }
        run(List.of(keytool.toString(), "-genkeypair", "-alias", "brigade", "-keyalg", "EC", "-groupname", "secp256r1",
                "-sigalg", "SHA256withECDSA", "-dname", "CN=localhost", "-ext", san.toString(), "-validity", "30",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", password));
        run(List.of(keytool.toString(), "-exportcert", "-rfc", "-alias", "brigade", "-keystore", store.toString(),
                "-storepass", password, "-file", pem.toString()));
        return new Generated(store, password, pem);
    }

    private static Optional<Path> keytool() {
        Optional<String> java = ProcessHandle.current().info().command();
        if (java.isEmpty()) {
            return Optional.empty();
        }
        Path candidate = Path.of(java.get()).resolveSibling("keytool");
        return Files.isExecutable(candidate) ? Optional.of(candidate) : Optional.empty();
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool failed: " + out.strip().replace('\n', ' '));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        }
    }
}
