package io.montage.worker.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A host name's addresses: InetAddress::getAllByName, except in tests, which answer for made-up names without DNS. */
@FunctionalInterface
interface HostResolver {

    InetAddress[] resolve(String host) throws UnknownHostException;
}
