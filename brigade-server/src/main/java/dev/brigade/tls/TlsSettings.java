package dev.brigade.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a TLS port offers: its certificates (a default and one per SNI name), protocol versions
 * (TLS 1.3 and 1.2), ALPN protocols ({@code http/1.1}) and how often the certificate files are
 * checked for a replacement. Immutable; made with {@link #builder()}.
 */
public final class TlsSettings {

    /** How often certificate files are checked for a replacement by default (certbot and Kubernetes replace them in place). */
    public static final Duration RELOAD_CHECK_DEFAULT = Duration.ofSeconds(5);

    private final CertificateSource certificate;
    private final Map<String, CertificateSource> sni;
    private final List<String> protocols;
    private final List<String> applicationProtocols;
    private final Duration reloadCheck;

    private TlsSettings(Builder b) {
        if (b.certificate == null) {
            throw new TlsConfigException("TLS needs a default certificate (certificate(chain, key) or pkcs12(store, password))");
        }
        this.certificate = b.certificate;
        this.sni = Map.copyOf(b.sni);
        this.protocols = List.copyOf(b.protocols);
        this.applicationProtocols = List.copyOf(b.applicationProtocols);
        this.reloadCheck = b.reloadCheck;
    }

    public static Builder builder() {
        return new Builder();
    }

    public CertificateSource certificate() {
        return certificate;
    }

    /** Certificates by SNI host name (exact, or {@code *.example.com}). */
    public Map<String, CertificateSource> sni() {
        return sni;
    }

    public List<String> protocols() {
        return protocols;
    }

    public List<String> applicationProtocols() {
        return applicationProtocols;
    }

    /** How often the files are checked for a replacement; zero: never. */
    public Duration reloadCheck() {
        return reloadCheck;
    }

    /** Builds {@link TlsSettings}. */
    public static final class Builder {
        private CertificateSource certificate;
        private final Map<String, CertificateSource> sni = new LinkedHashMap<>();
        private List<String> protocols = List.of("TLSv1.3", "TLSv1.2");
        private List<String> applicationProtocols = List.of("http/1.1");
        private Duration reloadCheck = RELOAD_CHECK_DEFAULT;

        /** The default certificate: a PEM chain (leaf first) and its PEM PKCS#8 key. */
        public Builder certificate(Path chain, Path key) {
            return certificate(CertificateSource.pem(chain, key));
        }

        /** The default certificate from a PKCS#12 store. */
        public Builder pkcs12(Path store, String password) {
            return certificate(CertificateSource.pkcs12(store, password));
        }

        public Builder certificate(CertificateSource source) {
            this.certificate = source;
            return this;
        }

        /** The certificate for an SNI host name ({@code www.example.com} or {@code *.example.com}). */
        public Builder sni(String hostName, CertificateSource source) {
            if (hostName.isBlank()) {
                throw new TlsConfigException("an SNI host name must not be empty");
            }
            sni.put(hostName, source);
            return this;
        }

        /** Protocol versions, newest first; TLS 1.3 and 1.2 by default (older ones are refused). */
        public Builder protocols(String... versions) {
            for (String v : versions) {
                if (!v.equals("TLSv1.3") && !v.equals("TLSv1.2")) {
                    throw new TlsConfigException("TLS protocol " + v + " is not offered (TLSv1.3 or TLSv1.2)");
                }
            }
            this.protocols = List.of(versions);
            return this;
        }

        /** ALPN protocols offered, in preference order; {@code http/1.1} by default. */
        public Builder applicationProtocols(String... names) {
            this.applicationProtocols = List.of(names);
            return this;
        }

        /** How often certificate files are checked for a replacement ({@link Duration#ZERO}: never). */
        public Builder reloadCheck(Duration every) {
            if (every.isNegative()) {
                throw new TlsConfigException("the certificate reload check interval must not be negative: " + every);
            }
            this.reloadCheck = every;
            return this;
        }

        public TlsSettings build() {
            return new TlsSettings(this);
        }
    }
}
