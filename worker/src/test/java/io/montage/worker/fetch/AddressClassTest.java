package io.montage.worker.fetch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import static io.montage.worker.fetch.CidrTest.address;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AddressClassTest {

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, LOOPBACK",
            "127.255.255.254, LOOPBACK",
            "::1, LOOPBACK",
            "0.0.0.0, UNSPECIFIED",
            "::, UNSPECIFIED",
            "0.1.2.3, RESERVED",
            "10.0.0.1, PRIVATE",
            "172.16.0.1, PRIVATE",
            "172.31.255.255, PRIVATE",
            "192.168.1.1, PRIVATE",
            "fd12::1, PRIVATE",
            "fc00::1, PRIVATE",
            "fec0::1, PRIVATE",
            "169.254.0.1, LINK_LOCAL",
            "fe80::1, LINK_LOCAL",
            "169.254.169.254, CLOUD_METADATA",
            "169.254.170.2, CLOUD_METADATA",
            "100.100.100.200, CLOUD_METADATA",
            "fd00:ec2::254, CLOUD_METADATA",
            "100.64.0.1, CARRIER_GRADE_NAT",
            "100.127.255.255, CARRIER_GRADE_NAT",
            "224.0.0.1, MULTICAST",
            "239.255.255.250, MULTICAST",
            "ff02::1, MULTICAST",
            "255.255.255.255, BROADCAST",
            "240.0.0.1, RESERVED",
            "192.0.0.8, RESERVED",
            "192.0.2.1, DOCUMENTATION",
            "198.51.100.1, DOCUMENTATION",
            "203.0.113.1, DOCUMENTATION",
            "198.18.0.1, DOCUMENTATION",
            "198.19.255.255, DOCUMENTATION",
            "2001:db8::1, DOCUMENTATION",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2, RESERVED", // Teredo
            "100::1, RESERVED",
    })
    void internalAndSpecialAddressesAreTheirKind(String literal, AddressClass expected) {
        assertEquals(expected, AddressClass.of(address(literal)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255", "100.128.0.1",
            "100.63.255.255", "169.253.255.255", "198.20.0.1", "223.255.255.255", "2606:4700::1",
            "2a00:1450:4001::200e", "64:ff9b::808:808", "2002:808:808::1"})
    void publicAddressesArePublic(String literal) {
        assertEquals(AddressClass.PUBLIC, AddressClass.of(address(literal)));
    }

    @ParameterizedTest
    @CsvSource({
            "::ffff:127.0.0.1, LOOPBACK", // mapped: InetAddress already reads it as IPv4
            "::ffff:10.0.0.1, PRIVATE",
            "::ffff:169.254.169.254, CLOUD_METADATA",
            "::127.0.0.1, LOOPBACK", // compatible
            "::0.0.0.2, RESERVED",
            "::ffff:0:a00:1, PRIVATE", // SIIT translated
            "64:ff9b::7f00:1, LOOPBACK", // NAT64
            "64:ff9b::a9fe:a9fe, CLOUD_METADATA",
            "64:ff9b:1::a00:1, PRIVATE", // local-use NAT64
            "2002:a00:1::1, PRIVATE", // 6to4 of 10.0.0.1
            "2002:7f00:1::, LOOPBACK",
    })
    void anIpv6AddressCarryingAnIpv4OneIsTheIpv4OnesKind(String literal, AddressClass expected) {
        assertEquals(expected, AddressClass.of(address(literal)));
    }

    @Test
    void aMappedAddressHeldAsIpv6IsStillTheIpv4OnesKind() throws UnknownHostException {
        // getByName turns ::ffff:127.0.0.1 into 127.0.0.1, but an Inet6Address built from bytes keeps the mapping
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        InetAddress address = Inet6Address.getByAddress(null, mapped, -1);

        assertEquals(Inet6Address.class, address.getClass());
        assertEquals(AddressClass.LOOPBACK, AddressClass.of(address));
    }
}
