package io.montage.worker.fetch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CidrTest {

    @Test
    void anIpv4NetworkHoldsTheAddressesUnderItsPrefix() {
        Cidr network = Cidr.parse("10.1.2.0/24");

        assertTrue(network.contains(address("10.1.2.0")));
        assertTrue(network.contains(address("10.1.2.255")));
        assertFalse(network.contains(address("10.1.3.0")));
        assertFalse(network.contains(address("10.1.1.255")));
    }

    @Test
    void prefixesNeedNotFallOnByteBoundaries() {
        Cidr network = Cidr.parse("172.16.0.0/12");

        assertTrue(network.contains(address("172.31.255.255")));
        assertFalse(network.contains(address("172.32.0.0")));
        assertFalse(network.contains(address("172.15.255.255")));
    }

    @Test
    void anIpv6NetworkHoldsTheAddressesUnderItsPrefix() {
        Cidr network = Cidr.parse("fd00:1::/64");

        assertTrue(network.contains(address("fd00:1::5")));
        assertTrue(network.contains(address("fd00:1:0:0:ffff:ffff:ffff:ffff")));
        assertFalse(network.contains(address("fd00:2::5")));
    }

    @Test
    void anAddressAloneIsANetworkOfOne() {
        assertTrue(Cidr.parse("127.0.0.1").contains(address("127.0.0.1")));
        assertFalse(Cidr.parse("127.0.0.1").contains(address("127.0.0.2")));
        assertTrue(Cidr.parse("::1").contains(address("::1")));
    }

    @Test
    void prefixZeroHoldsEveryAddressOfItsFamilyOnly() {
        assertTrue(Cidr.parse("0.0.0.0/0").contains(address("93.184.216.34")));
        assertFalse(Cidr.parse("0.0.0.0/0").contains(address("2606:4700::1")), "an IPv4 network holds no IPv6");
        assertTrue(Cidr.parse("::/0").contains(address("2606:4700::1")));
        assertFalse(Cidr.parse("::/0").contains(address("93.184.216.34")));
    }

    @Test
    void anIpv4MappedIpv6AddressIsTheIpv4Address() {
        // InetAddress reads ::ffff:a.b.c.d as a.b.c.d, so an IPv4 allowance covers it
        assertTrue(Cidr.parse("10.0.0.0/8").contains(address("::ffff:10.0.0.1")));
    }

    @Test
    void bitsPastThePrefixAreTakenForAMistake() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.1.2.5/24"));

        assertTrue(e.getMessage().contains("did you mean 10.1.2.0/24?"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/24", "10.1.2.0/", "10.1.2.0/33", "fd00::/129", "10.1.2.0/24/1", "10.1.2.0/-1",
            "10.1.2.0/x", "10.1.2/24", "010.1.2.0/24", "images.example.com/24", "localhost"})
    void anythingElseIsRefusedWithoutALookup(String text) {
        // a host name here would make InetAddress query DNS; IpLiteral never does
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
    }

    @Test
    void aNetworkPrintsAsItIsWritten() {
        assertEquals("10.1.2.0/24", Cidr.parse("10.1.2.0/24").toString());
        assertEquals("fd00:1:0:0:0:0:0:0/64", Cidr.parse("fd00:1::/64").toString());
    }

    static InetAddress address(String literal) {
        return IpLiteral.parse(literal).orElseThrow(() -> new AssertionError(literal + " is no IP literal"));
    }
}
