package org.multiwebsocket.discovery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * IP addresses and CIDR ranges ({@code 127.0.0.1}, {@code 10.0.0.0/8}, {@code ::1}, {@code fd00::/8}),
 * matched against a request's remote address. Only literal addresses are accepted: nothing here ever
 * resolves a name.
 */
final class AddressRanges {

    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    private record Range(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int bits = prefix;
            for (int i = 0; i < network.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
                if ((address[i] & mask) != (network[i] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Range> ranges;

    private AddressRanges(List<Range> ranges) {
        this.ranges = ranges;
    }

    /**
     * @param entries addresses or CIDR ranges
     * @param key     the configuration key they came from, for the error message
     * @return the ranges
     * @throws IllegalStateException naming the entry that is not a literal address or range
     */
    static AddressRanges parse(List<String> entries, String key) {
        List<Range> ranges = new ArrayList<>();
        for (String entry : entries) {
            String[] parts = entry.split("/", 2);
            byte[] network = literal(parts[0]);
            int prefix = network == null ? -1 : network.length * 8;
            if (network != null && parts.length == 2) {
                try {
                    prefix = Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
            }
            if (network == null || prefix < 0 || prefix > network.length * 8) {
                throw new IllegalStateException("configuration " + key + ": '" + entry
                        + "' is not an IP address or CIDR range (such as 10.0.0.0/8 or fd00::/8)");
            }
            ranges.add(new Range(network, prefix));
        }
        return new AddressRanges(List.copyOf(ranges));
    }

    /** @return whether the remote address (a literal, as the container reports it) is in a range */
    boolean contains(String remote) {
        if (remote == null || ranges.isEmpty()) {
            return false;
        }
        byte[] address = literal(remote.startsWith("[") && remote.endsWith("]")
                ? remote.substring(1, remote.length() - 1) : remote);
        if (address == null) {
            return false;
        }
        for (Range range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] literal(String text) {
        String address = text.trim();
        int zone = address.indexOf('%');
        if (zone >= 0) {
            address = address.substring(0, zone);
        }
        if (address.isEmpty() || !LITERAL.matcher(address).matches() || (!address.contains(":") && !address.contains("."))) {
            return null;
        }
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }
}
