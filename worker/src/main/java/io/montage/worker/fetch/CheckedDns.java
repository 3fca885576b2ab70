package io.montage.worker.fetch;

import okhttp3.Dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * OkHttp's name lookup, answered by {@link AddressGuard}: the client connects to the addresses returned here and
 * to no others, so every address a fetch reaches was checked, and no second DNS answer can move it (rebinding).
 * OkHttp looks up only names; IP literals are checked by {@link ImageFetcher} before the call.
 */
final class CheckedDns implements Dns {

    private final AddressGuard guard;

    CheckedDns(AddressGuard guard) {
        this.guard = guard;
    }

    @Override
    public List<InetAddress> lookup(String host) throws UnknownHostException {
        try {
            return guard.addressesOf(host);
        } catch (ImageFetchException forbidden) {
            throw new Forbidden(forbidden);
        }
    }

    /** Carries the refusal through OkHttp, which lets only an UnknownHostException out of a lookup. */
    static final class Forbidden extends UnknownHostException {

        private final transient ImageFetchException refusal;

        private Forbidden(ImageFetchException refusal) {
            super(refusal.getMessage());
            this.refusal = refusal;
        }

        ImageFetchException refusal() {
            return refusal;
        }
    }
}
