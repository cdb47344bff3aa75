package dev.brigade.net.epoll;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/**
 * {@code struct sockaddr_in} and {@code sockaddr_in6} to and from {@link InetSocketAddress}, as
 * NIO presents them: an IPv4 peer of a dual-stack socket (::ffff:a.b.c.d) is an IPv4 address.
 */
final class SockAddr {

    /** {@code sizeof(struct sockaddr_storage)}: room for either family. */
    static final int STORAGE_BYTES = 128;
    static final int IN_BYTES = 16;
    static final int IN6_BYTES = 28;

    private static final ValueLayout.OfShort PORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt IPV4 = JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN);

    private SockAddr() {
    }

    /** Writes {@code address} into {@code out} for a socket of {@code family}; returns its length. */
    static int encode(InetSocketAddress address, int family, MemorySegment out) {
        out.fill((byte) 0);
        InetAddress ip = address.getAddress();
        out.set(JAVA_SHORT, 0, (short) family);
        out.set(PORT, 2, (short) address.getPort());
        if (family == LibC.AF_INET) {
            MemorySegment.copy(ip.getAddress(), 0, out, JAVA_BYTE, 4, 4);
            return IN_BYTES;
        }
        byte[] bytes = ip.getAddress();
        if (bytes.length == 4) { // an IPv4 address on a dual-stack socket: ::ffff:a.b.c.d (0.0.0.0 is ::)
            byte[] mapped = new byte[16];
            if (!ip.isAnyLocalAddress()) {
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(bytes, 0, mapped, 12, 4);
            }
            bytes = mapped;
        }
        MemorySegment.copy(bytes, 0, out, JAVA_BYTE, 8, 16);
        if (ip instanceof Inet6Address v6) {
            out.set(JAVA_INT, 24, v6.getScopeId());
        }
        return IN6_BYTES;
    }

    /**
     * A peer's address as {@code accept4} wrote it, kept raw: most connections never ask for it,
     * so the objects of an {@link InetSocketAddress} are made only when one does.
     */
    static final class Peer {
        private final int port;
        private final int ipv4;
        private final byte[] ipv6; // null for IPv4
        private final int scope;
        private InetSocketAddress decoded;

        /** Reads {@code in}; an address of another family than IPv4 or IPv6 is refused here, at accept. */
        Peer(MemorySegment in) throws IOException {
            int family = in.get(JAVA_SHORT, 0);
            port = Short.toUnsignedInt(in.get(PORT, 2));
            if (family == LibC.AF_INET) {
                ipv4 = in.get(IPV4, 4);
                ipv6 = null;
                scope = 0;
            } else if (family == LibC.AF_INET6) {
                ipv4 = 0;
                ipv6 = new byte[16];
                MemorySegment.copy(in, JAVA_BYTE, 8, ipv6, 0, 16);
                scope = in.get(JAVA_INT, 24);
            } else {
                throw new IOException("socket address of unknown family " + family);
            }
        }

        InetSocketAddress address() {
            if (decoded == null) {
                decoded = decode();
            }
            return decoded;
        }

        private InetSocketAddress decode() {
            try {
                if (ipv6 == null) {
                    byte[] b = {(byte) (ipv4 >>> 24), (byte) (ipv4 >>> 16), (byte) (ipv4 >>> 8), (byte) ipv4};
                    return new InetSocketAddress(InetAddress.getByAddress(b), port);
                }
                InetAddress ip = InetAddress.getByAddress(ipv6); // a mapped IPv4 address comes back as Inet4Address
                if (ip instanceof Inet6Address && scope != 0) {
                    ip = Inet6Address.getByAddress(null, ipv6, scope);
                }
                return new InetSocketAddress(ip, port);
            } catch (UnknownHostException e) {
                throw new IllegalStateException("4 or 16 bytes are always an address", e);
            }
        }
    }

    static InetSocketAddress decode(MemorySegment in) throws IOException {
        return new Peer(in).address();
    }

    /** Whether an address of {@code ip} is served by an IPv6 socket (dual-stack, as NIO does) or an IPv4 one. */
    static int familyFor(InetAddress ip, boolean ipv6Available) {
        if (ip instanceof Inet6Address) {
            return LibC.AF_INET6;
        }
        // NIO listens on the IPv4 wildcard with a dual-stack IPv6 socket (it takes both); a specific
        // IPv4 address needs nothing of IPv6
        return ip instanceof Inet4Address && ip.isAnyLocalAddress() && ipv6Available ? LibC.AF_INET6 : LibC.AF_INET;
    }
}
