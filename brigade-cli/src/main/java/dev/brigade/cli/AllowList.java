package dev.brigade.cli;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Which client addresses may reach an operator endpoint (the status page, the metrics): a list of
 * addresses and CIDR blocks, IPv4 or IPv6, parsed as literals (never a name lookup). Empty means
 * loopback only, the default, as httpd's {@code Require local}.
 */
final class AllowList {

    /** One address block: the first {@code bits} bits of {@code network}. */
    record Block(byte[] network, int bits, String text) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> blocks;

    private AllowList(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /** The default: loopback only (127.0.0.0/8 and ::1). */
    static AllowList loopbackOnly() {
        return new AllowList(List.of());
    }

    /** Parses each entry, {@code ADDRESS} or {@code ADDRESS/BITS}; empty means loopback only. */
    static AllowList of(List<String> entries) {
        List<Block> blocks = new ArrayList<>();
        for (String e : entries) {
            blocks.add(parse(e));
        }
        return new AllowList(blocks);
    }

    /** One entry; an IllegalArgumentException names what is wrong with it. */
    static Block parse(String entry) {
        String text = entry.strip();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes;
        try {
            bytes = InetAddress.ofLiteral(address).getAddress(); // a literal only: a name is refused, not resolved
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR block (e.g. 10.0.0.0/8, ::1)");
        }
        int max = bytes.length * 8;
        int bits = max;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException ex) {
                bits = -1;
            }
            if (bits < 0 || bits > max) {
                throw new IllegalArgumentException("'" + entry + "': the prefix length must be 0.." + max);
            }
        }
        return new Block(bytes, bits, text);
    }

    boolean allows(InetAddress client) {
        if (blocks.isEmpty()) {
            return client.isLoopbackAddress();
        }
        byte[] a = client.getAddress();
        for (Block b : blocks) {
            if (b.contains(a)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return blocks.isEmpty() ? "loopback only" : String.join(", ", blocks.stream().map(Block::text).toList());
    }
}
