package io.montage.worker.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The addresses a URL's host may be connected to: everything it resolves to, each public or in an allowed
 * network. One forbidden address refuses the host outright rather than being skipped: a name that resolves to a
 * public and an internal address at once is a known way past checks that look at one of them only.
 */
final class AddressGuard {

    private final HostResolver resolver;
    private final List<Cidr> allowed;

    AddressGuard(HostResolver resolver, List<Cidr> allowed) {
        this.resolver = resolver;
        this.allowed = allowed;
    }

    /** @throws ImageFetchException when any address is forbidden */
    List<InetAddress> addressesOf(ImageUrl url) throws UnknownHostException {
        return url.literalAddress().isPresent()
                ? checked(url.host(), List.of(url.literalAddress().get()))
                : addressesOf(url.host());
    }

    /** A DNS name's addresses, resolved once; @throws ImageFetchException when any of them is forbidden */
    List<InetAddress> addressesOf(String host) throws UnknownHostException {
        return checked(host, List.of(resolver.resolve(host)));
    }

    private List<InetAddress> checked(String host, List<InetAddress> addresses) {
        for (InetAddress address : addresses) {
            AddressClass kind = AddressClass.of(address);
            if (kind != AddressClass.PUBLIC && !allowed(address, kind)) {
                throw ImageFetchException.forbidden(host, kind);
            }
        }
        return addresses;
    }

    /** Metadata stays forbidden whatever is allowed: allowing 169.254.0.0/16 must not hand out instance credentials. */
    private boolean allowed(InetAddress address, AddressClass kind) {
        return kind != AddressClass.CLOUD_METADATA && allowed.stream().anyMatch(network -> network.contains(address));
    }
}
