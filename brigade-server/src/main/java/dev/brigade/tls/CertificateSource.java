package dev.brigade.tls;

import java.nio.file.Path;
import java.util.List;

/** Where a certificate and its private key come from, as operators hold them. */
public sealed interface CertificateSource {

    /** The files to watch for a replacement. */
    List<Path> files();

    /** A PEM certificate chain (leaf first) and a PEM PKCS#8 private key (RSA or EC), unencrypted. */
    record Pem(Path chain, Path key) implements CertificateSource {
        @Override
        public List<Path> files() {
            return List.of(chain, key);
        }
    }

    /** A PKCS#12 store holding one private key and its chain. */
    record Pkcs12(Path store, String password) implements CertificateSource {
        @Override
        public List<Path> files() {
            return List.of(store);
        }
    }

    static CertificateSource pem(Path chain, Path key) {
        return new Pem(chain, key);
    }

    static CertificateSource pkcs12(Path store, String password) {
        return new Pkcs12(store, password == null ? "" : password);
    }
}
