package io.montage.worker.fetch;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import static io.montage.worker.fetch.CidrTest.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressGuardTest {

    private static final TestFetchers.CountingResolver NAMES = TestFetchers.names(Map.of(
            "public.test", List.of("93.184.216.34", "2606:4700::1"),
            "mixed.test", List.of("93.184.216.34", "10.0.0.1"),
            "store.test", List.of("10.1.2.3"),
            "metadata.test", List.of("169.254.169.254")));

    private static List<InetAddress> addressesOf(String url, String... allowedCidrs) throws UnknownHostException {
        List<Cidr> allowed = List.of(allowedCidrs).stream().map(Cidr::parse).toList();
        return new AddressGuard(NAMES, allowed).addressesOf(ImageUrl.parse(url));
    }

    @Test
    void aPublicHostGivesAllItsAddressesInOrder() throws UnknownHostException {
        assertEquals(List.of(address("93.184.216.34"), address("2606:4700::1")), addressesOf("http://public.test/"));
    }

    @Test
    void oneInternalAddressAmongPublicOnesRefusesTheHost() {
        ImageFetchException e = assertThrows(ImageFetchException.class, () -> addressesOf("http://mixed.test/"));

        assertEquals(ImageFetchException.FORBIDDEN, e.code());
        assertEquals(422, e.status());
        assertTrue(e.getMessage().contains("mixed.test") && e.getMessage().contains("private network"), e.getMessage());
        assertFalse(e.getMessage().contains("10.0.0.1"), "the address a name resolves to is not told: " + e.getMessage());
    }

    @Test
    void anAllowedNetworkIsFetchedFrom() throws UnknownHostException {
        assertThrows(ImageFetchException.class, () -> addressesOf("http://store.test/"));
        assertEquals(List.of(address("10.1.2.3")), addressesOf("http://store.test/", "10.1.2.0/24"));
    }

    @Test
    void cloudMetadataStaysForbiddenWhateverIsAllowed() {
        for (String url : new String[] {"http://metadata.test/", "http://169.254.169.254/latest/meta-data/"}) {
            ImageFetchException e = assertThrows(ImageFetchException.class,
                    () -> addressesOf(url, "169.254.0.0/16", "0.0.0.0/0"));
            assertTrue(e.getMessage().contains("cloud metadata"), e.getMessage());
        }
    }

    @Test
    void literalsAreCheckedWithoutALookup() {
        int before = NAMES.lookups();

        assertThrows(ImageFetchException.class, () -> addressesOf("http://10.0.0.1/"));
        assertThrows(ImageFetchException.class, () -> addressesOf("http://[fd00:ec2::254]/"));

        assertEquals(before, NAMES.lookups());
    }

    @Test
    void anUnknownHostIsAnUnknownHost() {
        assertThrows(UnknownHostException.class, () -> addressesOf("http://nowhere.test/"));
    }
}
