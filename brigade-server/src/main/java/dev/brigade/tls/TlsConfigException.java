package dev.brigade.tls;

/** A certificate, key or TLS setting that cannot be used; the message is one line naming the file. */
public final class TlsConfigException extends RuntimeException {

    public TlsConfigException(String message) {
        super(message);
    }

    public TlsConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
