package io.montage.worker.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** A network: an IPv4 or IPv6 address and how many of its leading bits are the network (10.1.2.0/24, fd00::/8). */
final class Cidr {

    private final byte[] network;
    private final int prefixLength;

    private Cidr(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * {@code address/prefix-length}, or an address alone for just that address.
     *
     * @throws IllegalArgumentException for anything else, and for bits set past the prefix (10.1.2.5/24), which is
     *                                  more likely a mistake than a way to write 10.1.2.0/24
     */
    static Cidr parse(String text) {
        String[] parts = text.strip().split("/", -1);
        InetAddress address = IpLiteral.parse(parts[0]).orElseThrow(
                () -> new IllegalArgumentException("'" + text + "' is not a network: " + parts[0] + " is not an IP address"));
        byte[] bytes = address.getAddress();
        int bits = bytes.length * 8;
        if (parts.length > 2 || (parts.length == 2 && !parts[1].matches("\\d{1,3}"))
                || (parts.length == 2 && Integer.parseInt(parts[1]) > bits)) {
            throw new IllegalArgumentException("'" + text + "' is not a network: the prefix length must be 0 to " + bits);
        }
        Cidr cidr = of(bytes, parts.length == 2 ? Integer.parseInt(parts[1]) : bits);
        if (!Arrays.equals(cidr.network, bytes)) {
            throw new IllegalArgumentException("'" + text + "' has bits set past its prefix: did you mean " + cidr + "?");
        }
        return cidr;
    }

    /** For networks that cannot be written as text InetAddress keeps: it reads ::ffff:0:0 as the IPv4 0.0.0.0. */
    static Cidr of(byte[] address, int prefixLength) {
        return new Cidr(masked(address, prefixLength), prefixLength);
    }

    /** An IPv4 network holds IPv4 addresses only, an IPv6 one IPv6 addresses only. */
    boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == network.length && Arrays.equals(masked(bytes, prefixLength), network);
    }

    private static byte[] masked(byte[] address, int prefixLength) {
        byte[] masked = new byte[address.length];
        for (int i = 0; i < address.length; i++) {
            int bitsHere = Math.clamp(prefixLength - i * 8L, 0, 8);
            masked[i] = (byte) (address[i] & (0xff00 >> bitsHere));
        }
        return masked;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }
}
