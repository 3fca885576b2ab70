package io.montage.worker.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IP address written literally, parsed without ever asking DNS: InetAddress.getByName looks up whatever it
 * cannot parse, so a typo in a literal would become a query for a name.
 */
final class IpLiteral {

    /** Four decimal parts and no leading zeros: the one form that no parser reads as another address. */
    private static final Pattern DOTTED_QUAD = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private IpLiteral() {
    }

    /** IPv6 without brackets or zone (fd00::1), or IPv4 as a dotted quad; empty for anything else. */
    static Optional<InetAddress> parse(String text) {
        try {
            if (text.contains(":") && !text.contains("%")) {
                // in brackets InetAddress takes it for an IPv6 literal or fails; it never looks it up
                return Optional.of(InetAddress.getByName("[" + text + "]"));
            }
            if (DOTTED_QUAD.matcher(text).matches()) {
                String[] parts = text.split("\\.");
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    bytes[i] = (byte) Integer.parseInt(parts[i]);
                }
                return Optional.of(InetAddress.getByAddress(bytes));
            }
            return Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
