package dev.brigade.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A private key and its certificate chain (leaf first), checked to belong together. */
record LoadedCertificate(PrivateKey key, X509Certificate[] chain) {

    X509Certificate leaf() {
        return chain[0];
    }

    /** The key algorithm the JDK asks for when it picks a certificate ("RSA", "EC", "EdDSA"). */
    String keyType() {
        return key.getAlgorithm();
    }

    String subject() {
        return leaf().getSubjectX500Principal().getName();
    }
}
