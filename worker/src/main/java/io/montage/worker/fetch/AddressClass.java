package io.montage.worker.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * What kind of network an IP address belongs to, as far as fetching from it goes: {@link #PUBLIC} or one of the
 * kinds a tenant's URL must not reach. IPv6 addresses that carry an IPv4 one (mapped, compatible, NAT64, 6to4)
 * are the kind of the IPv4 address they lead to.
 */
enum AddressClass {

    PUBLIC("public"),
    CLOUD_METADATA("cloud metadata service"),
    LOOPBACK("loopback"),
    UNSPECIFIED("unspecified"),
    PRIVATE("private network"),
    LINK_LOCAL("link-local"),
    CARRIER_GRADE_NAT("carrier-grade NAT"),
    MULTICAST("multicast"),
    BROADCAST("broadcast"),
    DOCUMENTATION("documentation or benchmarking"),
    RESERVED("reserved");

    private final String label;

    AddressClass(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    private record Range(Cidr network, AddressClass kind) {
        Range(String network, AddressClass kind) {
            this(Cidr.parse(network), kind);
        }
    }

    /** The first range that holds an address gives its kind: the single metadata addresses come before their networks. */
    private static final List<Range> RANGES = List.of(
            new Range("169.254.169.254", CLOUD_METADATA), // AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle
            new Range("169.254.170.2", CLOUD_METADATA), // AWS ECS task credentials
            new Range("100.100.100.200", CLOUD_METADATA), // Alibaba Cloud
            new Range("fd00:ec2::254", CLOUD_METADATA), // AWS over IPv6
            new Range("255.255.255.255", BROADCAST),
            new Range("0.0.0.0", UNSPECIFIED),
            new Range("::", UNSPECIFIED),
            new Range("0.0.0.0/8", RESERVED), // "this network": no remote host lives there
            new Range("127.0.0.0/8", LOOPBACK),
            new Range("::1", LOOPBACK),
            new Range("10.0.0.0/8", PRIVATE),
            new Range("172.16.0.0/12", PRIVATE),
            new Range("192.168.0.0/16", PRIVATE),
            new Range("fc00::/7", PRIVATE), // unique local
            new Range("fec0::/10", PRIVATE), // site-local, deprecated but still routed by some stacks
            new Range("64:ff9b:1::/48", PRIVATE), // NAT64 for local use
            new Range("100.64.0.0/10", CARRIER_GRADE_NAT),
            new Range("169.254.0.0/16", LINK_LOCAL),
            new Range("fe80::/10", LINK_LOCAL),
            new Range("224.0.0.0/4", MULTICAST),
            new Range("ff00::/8", MULTICAST),
            new Range("192.0.2.0/24", DOCUMENTATION),
            new Range("198.51.100.0/24", DOCUMENTATION),
            new Range("203.0.113.0/24", DOCUMENTATION),
            new Range("198.18.0.0/15", DOCUMENTATION), // benchmarking
            new Range("2001:db8::/32", DOCUMENTATION),
            new Range("3fff::/20", DOCUMENTATION),
            new Range("192.0.0.0/24", RESERVED), // IETF protocol assignments
            new Range("192.88.99.0/24", RESERVED), // the retired 6to4 relay anycast
            new Range("240.0.0.0/4", RESERVED),
            new Range("100::/64", RESERVED), // discard-only
            // Teredo (which tunnels to an IPv4 address written inverted), ORCHID, benchmarking, AS112: no images
            new Range("2001::/23", RESERVED));

    /** Where IPv6 addresses carry an IPv4 address, and at which byte it starts. */
    private record Embedding(Cidr prefix, int offset) {
        InetAddress ipv4In(InetAddress address) {
            try {
                return InetAddress.getByAddress(Arrays.copyOfRange(address.getAddress(), offset, offset + 4));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("4 bytes are always an IPv4 address", e);
            }
        }
    }

    private static final List<Embedding> IPV4_EMBEDDINGS = List.of(
            // mapped (::ffff:a.b.c.d), as bytes because InetAddress reads the text as the IPv4 address itself;
            // an Inet6Address can still hold it when built from bytes
            new Embedding(Cidr.of(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0}, 96), 12),
            new Embedding(Cidr.parse("::ffff:0:0:0/96"), 12), // SIIT translated
            new Embedding(Cidr.parse("::/96"), 12), // compatible, deprecated
            new Embedding(Cidr.parse("64:ff9b::/96"), 12), // NAT64
            new Embedding(Cidr.parse("2002::/16"), 2)); // 6to4

    static AddressClass of(InetAddress address) {
        for (Range range : RANGES) {
            if (range.network().contains(address)) {
                return range.kind();
            }
        }
        for (Embedding embedding : IPV4_EMBEDDINGS) {
            if (embedding.prefix().contains(address)) {
                return of(embedding.ipv4In(address));
            }
        }
        return PUBLIC;
    }
}
