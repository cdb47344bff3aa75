package dev.brigade.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.Enumeration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a certificate and its key from the files operators have: a PEM chain with a PKCS#8 key, or
 * a PKCS#12 store. Only the JDK's parsers are used (CertificateFactory, KeyFactory, KeyStore); the
 * PEM armour around a PKCS#8 key is the one thing read here. Every failure is one line naming the
 * file and what to do.
 */
final class CertificateLoader {

    private static final Pattern PEM_BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private CertificateLoader() {
    }

    static LoadedCertificate load(CertificateSource source) {
        LoadedCertificate c = switch (source) {
            case CertificateSource.Pem pem -> new LoadedCertificate(readKey(pem.key()), readChain(pem.chain()));
            case CertificateSource.Pkcs12 p12 -> readPkcs12(p12.store(), p12.password());
        };
        checkPair(c, source);
        return c;
    }

    private static X509Certificate[] readChain(Path file) {
        byte[] bytes = read(file);
        try {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes));
            if (certs.isEmpty()) {
                throw new TlsConfigException(file + ": no certificate in this file (expected PEM \"BEGIN CERTIFICATE\" blocks)");
            }
            return certs.stream().map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
        } catch (GeneralSecurityException e) {
            throw new TlsConfigException(file + ": not a PEM certificate chain: " + oneLine(e));
        }
    }

    private static PrivateKey readKey(Path file) {
        String text = new String(read(file), StandardCharsets.US_ASCII);
        Matcher m = PEM_BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            switch (type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(file, Base64.getMimeDecoder().decode(m.group(2)));
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new TlsConfigException(file + ": a " + type
                        + " (PKCS#1/SEC1) key; convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in " + file);
                case "ENCRYPTED PRIVATE KEY" -> throw new TlsConfigException(file
                        + ": an encrypted key; decrypt it (openssl pkcs8 -in " + file + ") or use a PKCS#12 store with a password");
                default -> {
                    // certificates or parameters in the same file: keep looking for the key
                }
            }
        }
        throw new TlsConfigException(file + ": no \"BEGIN PRIVATE KEY\" block (a PEM PKCS#8 key is expected)");
    }

    private static PrivateKey pkcs8(Path file, byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new TlsConfigException(file + ": not an RSA, EC or Ed25519 PKCS#8 key");
    }

    private static LoadedCertificate readPkcs12(Path file, String password) {
        byte[] bytes = read(file);
        char[] pw = password.toCharArray();
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, pw);
            for (Enumeration<String> aliases = ks.aliases(); aliases.hasMoreElements(); ) {
                String alias = aliases.nextElement();
                if (ks.isKeyEntry(alias)) {
                    Key key = ks.getKey(alias, pw);
                    Certificate[] chain = ks.getCertificateChain(alias);
                    if (key instanceof PrivateKey pk && chain != null && chain.length > 0) {
                        X509Certificate[] x509 = new X509Certificate[chain.length];
                        for (int i = 0; i < chain.length; i++) {
                            x509[i] = (X509Certificate) chain[i];
                        }
                        return new LoadedCertificate(pk, x509);
                    }
                }
            }
            throw new TlsConfigException(file + ": no private key with a certificate chain in this PKCS#12 store");
        } catch (IOException e) {
            throw new TlsConfigException(file + ": cannot open this PKCS#12 store (wrong password?): " + oneLine(e));
        } catch (GeneralSecurityException e) {
            throw new TlsConfigException(file + ": not a usable PKCS#12 store: " + oneLine(e));
        }
    }

    /** Signs with the key and verifies with the leaf's public key: a key that is not the certificate's is refused. */
    private static void checkPair(LoadedCertificate c, CertificateSource source) {
        String algorithm = switch (c.key().getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return; // RSASSA-PSS keys and the like: the handshake will tell
        }
        try {
            byte[] probe = "brigade key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(algorithm);
            s.initSign(c.key());
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(algorithm);
            v.initVerify(c.leaf().getPublicKey());
            v.update(probe);
            if (v.verify(sig)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // a key of another type than the certificate's: reported below
        }
        throw new TlsConfigException(source.files() + ": the private key does not belong to the certificate "
                + c.subject());
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new TlsConfigException(file + ": cannot read: " + oneLine(e));
        }
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replace('\n', ' ');
    }
}
