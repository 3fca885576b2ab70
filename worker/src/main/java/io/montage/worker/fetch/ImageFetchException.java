package io.montage.worker.fetch;

import io.montage.errors.MontageException;
import io.montage.worker.images.ImageRejectedException;

/**
 * An image URL Montage cannot fetch from, with a code the tenant's item fails with. It concerns that item alone:
 * the rest of a batch goes on. Messages name the kind of address refused, never the address a name resolved to,
 * which would tell a tenant about the worker's network.
 */
public final class ImageFetchException extends MontageException {

    public static final String INVALID_URL = "invalid_image_url";
    public static final String FORBIDDEN = "image_url_forbidden";
    public static final String FAILED = "image_fetch_failed";
    /** The decoder's code: an image too large to fetch is one too large to decode. */
    public static final String TOO_LARGE = ImageRejectedException.TOO_LARGE;

    private ImageFetchException(int status, String code, String detail, Throwable cause) {
        super(status, code, detail);
        initCause(cause);
    }

    static ImageFetchException invalidUrl(String url, String why) {
        return new ImageFetchException(422, INVALID_URL, "the image URL " + url + " cannot be fetched: " + why, null);
    }

    static ImageFetchException forbidden(String host, AddressClass kind) {
        return new ImageFetchException(422, FORBIDDEN, "the host " + host + " resolves to a forbidden address ("
                + kind.label() + "); images are fetched from public addresses only", null);
    }

    /** The status is 422, not 502: what failed is the item's input, not Montage. */
    static ImageFetchException failed(ImageUrl url, String why, Throwable cause) {
        return new ImageFetchException(422, FAILED, "fetching " + url + " failed: " + why, cause);
    }

    static ImageFetchException tooLarge(ImageUrl url, String size, int maxBytes) {
        return new ImageFetchException(413, TOO_LARGE, "the image at " + url + " is " + size + "; at most "
                + maxBytes + " bytes are accepted: send it smaller or more compressed", null);
    }
}
