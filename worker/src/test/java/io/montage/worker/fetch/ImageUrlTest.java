package io.montage.worker.fetch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageUrlTest {

    @Test
    void anHttpUrlNamesItsHostPortAndRequestTarget() {
        ImageUrl url = ImageUrl.parse("http://Images.Example.com/cats/1.jpg?size=large#top");

        assertEquals("images.example.com", url.host());
        assertEquals(80, url.port());
        assertEquals("images.example.com", url.hostHeader());
        assertEquals("/cats/1.jpg?size=large", url.requestTarget(), "never the fragment");
        assertTrue(url.literalAddress().isEmpty());
    }

    @Test
    void httpsDefaultsTo443AndAnyPortIsAllowed() {
        assertEquals(443, ImageUrl.parse("https://example.com").port());
        assertEquals("/", ImageUrl.parse("https://example.com").requestTarget());
        ImageUrl url = ImageUrl.parse("https://example.com:8443/a.png");
        assertEquals(8443, url.port());
        assertEquals("example.com:8443", url.hostHeader());
    }

    @Test
    void aTrailingDotIsDropped() {
        assertEquals("example.com", ImageUrl.parse("http://example.com./a.jpg").host());
    }

    @Test
    void ipLiteralsAreTheirAddressesAndAreNeverResolved() {
        ImageUrl v4 = ImageUrl.parse("http://93.184.216.34/a.jpg");
        assertEquals(CidrTest.address("93.184.216.34"), v4.literalAddress().orElseThrow());

        ImageUrl v6 = ImageUrl.parse("http://[2606:4700::1]:8080/a.jpg");
        assertEquals("2606:4700::1", v6.host());
        assertEquals("[2606:4700::1]:8080", v6.hostHeader());
        assertEquals(CidrTest.address("2606:4700::1"), v6.literalAddress().orElseThrow());
    }

    @Test
    void nonAsciiPathsArePercentEncodedAsBrowsersSendThem() {
        assertEquals("/k%C3%A4tzchen.jpg", ImageUrl.parse("https://example.com/kätzchen.jpg").requestTarget());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "file:///etc/passwd",
            "ftp://example.com/a.jpg",
            "gopher://example.com:70/_GET",
            "jar:http://example.com/a.jar!/a.jpg",
            "data:image/png;base64,iVBORw0KGgo=",
            "example.com/a.jpg",
            "//example.com/a.jpg",
            "http:/a.jpg",
            "http:///a.jpg",
            "http://user:pw@example.com/a.jpg",
            "http://user@example.com/a.jpg",
            "http://@example.com/a.jpg",
            "http://example.com:99999/a.jpg",
            "http://example.com:0/a.jpg",
            "http://exa mple.com/a.jpg",
            "http://example.com/a b.jpg",
            "http://under_score.example.com/a.jpg",
            "https://a.b234567890123456789012345678901234567890123456789012345678901234.example/a.jpg",
            "http://%6c%6f%63%61%6c%68%6f%73%74/a.jpg",
            "http://[fe80::1%25eth0]/a.jpg",
            "http://[::zz]/a.jpg",
            // numeric hosts in any but the plain dotted-quad form: each is 127.0.0.1 to some parser
            "http://2130706433/",
            "http://0x7f000001/",
            "http://0x7f.0.0.1/",
            "http://127.1/",
            "http://127.0.1/",
            "http://0177.0.0.1/",
            "http://127.000.000.001/",
            "http://127.0.0.1./",
            "http://example.123/",
            "",
            " "})
    void anythingElseIsAnInvalidUrl(String text) {
        ImageFetchException e = assertThrows(ImageFetchException.class, () -> ImageUrl.parse(text));

        assertEquals(ImageFetchException.INVALID_URL, e.code());
        assertEquals(422, e.status());
    }

    @Test
    void aPasswordIsNotEchoed() {
        ImageFetchException e = assertThrows(ImageFetchException.class,
                () -> ImageUrl.parse("https://alice:s3cret@example.com/a.jpg"));

        assertTrue(e.getMessage().contains("https://…@example.com/a.jpg"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }

    @Test
    void aVeryLongUrlIsRefusedWithoutBeingEchoed() {
        String url = "https://example.com/" + "a".repeat(ImageUrl.MAX_LENGTH);

        ImageFetchException e = assertThrows(ImageFetchException.class, () -> ImageUrl.parse(url));

        assertEquals(ImageFetchException.INVALID_URL, e.code());
        assertTrue(e.getMessage().length() < 300, e.getMessage());
    }

    @Test
    void aRedirectResolvesAgainstTheCurrentUrl() {
        ImageUrl from = ImageUrl.parse("https://example.com/cats/1.jpg");

        assertEquals("https://example.com/cats/2.jpg", from.redirect("2.jpg").toString());
        assertEquals("https://example.com/dogs/1.jpg", from.redirect("/dogs/1.jpg").toString());
        assertEquals("https://cdn.example.net/1.jpg", from.redirect("//cdn.example.net/1.jpg").toString());
        assertEquals("cdn.example.net", from.redirect("https://cdn.example.net/1.jpg").host());
    }

    @Test
    void aRedirectIsCheckedAsTheFirstUrlWas() {
        ImageUrl from = ImageUrl.parse("http://example.com/1.jpg");

        for (String location : new String[] {"file:///etc/passwd", "http://2130706433/", "http://u:p@example.com/"}) {
            ImageFetchException e = assertThrows(ImageFetchException.class, () -> from.redirect(location), location);
            assertEquals(ImageFetchException.INVALID_URL, e.code());
        }
    }

    @Test
    void aRedirectFromHttpsToPlainHttpIsRefused() {
        ImageUrl from = ImageUrl.parse("https://example.com/1.jpg");

        ImageFetchException e = assertThrows(ImageFetchException.class,
                () -> from.redirect("http://example.com/1.jpg"));

        assertEquals(ImageFetchException.INVALID_URL, e.code());
        assertTrue(e.getMessage().contains("https to plain http"), e.getMessage());
        assertTrue(ImageUrl.parse("http://example.com/").redirect("https://example.com/").https(), "upgrading is fine");
    }
}
