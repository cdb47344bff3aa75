package dev.brigade.server;

import dev.brigade.net.IoBackend;
import dev.brigade.net.NioBackend;
import dev.brigade.net.epoll.EpollBackend;
import java.util.Locale;

/**
 * Which socket transport a server runs on ({@link Server.Builder#transport}, the system property
 * {@code brigade.transport}, {@code brigade serve --transport}).
 *
 * <ul>
 *   <li>{@link #AUTO} (the default): epoll when it can run here (Linux, x86_64 or aarch64, native
 *       access enabled), NIO otherwise, quietly.
 *   <li>{@link #NIO}: the JDK's selector and socket channels, on every platform.
 *   <li>{@link #EPOLL}: Linux epoll through the Foreign Function and Memory API; a server asked for
 *       it where it cannot run does not start ({@link TransportUnavailableException}).
 * </ul>
 */
public enum SocketTransport {
    AUTO, NIO, EPOLL;

    /** The system property that sets the default: {@code nio}, {@code epoll} or {@code auto}. */
    public static final String PROPERTY = "brigade.transport";

    /** {@code nio}, {@code epoll} or {@code auto}, in any case; anything else is an {@link IllegalArgumentException}. */
    public static SocketTransport parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "nio" -> NIO;
            case "epoll" -> EPOLL;
            default -> throw new IllegalArgumentException("'" + name + "' is not a transport (nio, epoll or auto)");
        };
    }

    /** What {@code -Dbrigade.transport} asks for; {@link #AUTO} when it is not set. */
    public static SocketTransport fromSystemProperty() {
        String value = System.getProperty(PROPERTY);
        return value == null || value.isBlank() ? AUTO : parse(value);
    }

    /** The lower-case name, as the property and the CLI spell it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The backend this choice runs on here. */
    IoBackend resolve() {
        return switch (this) {
            case NIO -> NioBackend.INSTANCE;
            case AUTO -> EpollBackend.unavailableReason() == null ? EpollBackend.get() : NioBackend.INSTANCE;
            case EPOLL -> {
                String why = EpollBackend.unavailableReason();
                if (why != null) {
                    throw new TransportUnavailableException("the epoll transport cannot run here: " + why);
                }
                yield EpollBackend.get();
            }
        };
    }

    /** Why {@link #AUTO} did not pick epoll, or null when it did (for the start-up line). */
    static String autoFallbackReason() {
        return EpollBackend.unavailableReason();
    }
}
