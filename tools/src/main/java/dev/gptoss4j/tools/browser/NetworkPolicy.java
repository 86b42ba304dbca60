package dev.gptoss4j.tools.browser;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which addresses the browser may connect to. The model chooses the URLs, so by default only public internet
 * addresses are allowed: loopback, private (RFC 1918), link-local, carrier-grade NAT, unique-local IPv6,
 * multicast, reserved and cloud metadata addresses are refused, as are IPv6 forms that embed such an IPv4 address.
 * Ranges on the allow-list are opened again (a local test server, an intranet the deployment trusts).
 */
public final class NetworkPolicy {

    private static final Set<String> METADATA_ADDRESSES =
            Set.of("169.254.169.254", "169.254.170.2", "100.100.100.200", "192.0.0.192", "fd00:ec2:0:0:0:0:0:254");
    private static final Set<String> METADATA_NAMES = Set.of(
            "metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal");

    private final List<Cidr> allowed;

    private NetworkPolicy(List<Cidr> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** Public internet addresses only. */
    public static NetworkPolicy publicInternetOnly() {
        return new NetworkPolicy(List.of());
    }

    /**
     * Public addresses plus the given ranges: CIDR blocks ({@code 10.0.0.0/8}, {@code ::1/128}) or single address
     * literals ({@code 127.0.0.1}).
     */
    public static NetworkPolicy allowing(String... ranges) {
        List<Cidr> list = new ArrayList<>();
        for (String r : ranges) list.add(Cidr.parse(r));
        return new NetworkPolicy(list);
    }

    /**
     * Why a connection to {@code address} is refused, or {@code null} when it is allowed. The reason reads as the
     * end of a sentence: "a private address".
     */
    public String refusal(InetAddress address) {
        for (Cidr c : allowed) if (c.contains(address)) return null;
        return classify(address);
    }

    /** Why the host name itself is refused (a cloud metadata name), or {@code null}. */
    public String refusal(String hostName) {
        String h = hostName.toLowerCase(Locale.ROOT);
        while (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        return METADATA_NAMES.contains(h) ? "a cloud metadata host" : null;
    }

    private static String classify(InetAddress address) {
        if (METADATA_ADDRESSES.contains(address.getHostAddress())) return "a cloud metadata address";
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) return classifyV4(b);
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if (address.isLoopbackAddress()) return "a loopback address";
            if (address.isAnyLocalAddress()) return "the unspecified address";
            if (first == 0xff) return "a multicast address";
            if (first == 0xfe && (b[1] & 0xc0) == 0x80) return "a link-local address";
            if (first == 0xfe && (b[1] & 0xc0) == 0xc0) return "a site-local address";
            if ((first & 0xfe) == 0xfc) return "a unique-local address";
            // IPv6 forms that carry an IPv4 address: mapped, compatible, NAT64, 6to4
            if (allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) return embedded(b, 12);
            if (allZero(b, 0, 12)) return embedded(b, 12);
            if (b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && allZero(b, 4, 12)) {
                return embedded(b, 12);
            }
            if (b[0] == 0x20 && b[1] == 0x02) return embedded(b, 2);
            return null;
        }
        return "an address of unknown kind";
    }

    private static String embedded(byte[] b, int at) {
        byte[] v4 = {b[at], b[at + 1], b[at + 2], b[at + 3]};
        String inner = classifyV4(v4);
        if (inner == null) return null;
        try {
            String dotted = InetAddress.getByAddress(v4).getHostAddress();
            if (METADATA_ADDRESSES.contains(dotted)) inner = "a cloud metadata address";
        } catch (UnknownHostException impossible) {
            // four bytes are always an address
        }
        return inner + " (embedded in IPv6)";
    }

    private static String classifyV4(byte[] b) {
        int a0 = b[0] & 0xff, a1 = b[1] & 0xff, a2 = b[2] & 0xff;
        if (a0 == 127) return "a loopback address";
        if (a0 == 0) return "a 'this network' address";
        if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) return "a private address";
        if (a0 == 169 && a1 == 254) return "a link-local address";
        if (a0 == 100 && (a1 & 0xc0) == 64) return "a carrier-grade NAT address";
        if (a0 == 192 && a1 == 0 && a2 == 0) return "an IETF protocol address";
        if (a0 == 198 && (a1 & 0xfe) == 18) return "a benchmarking address";
        if (a0 >= 224 && a0 <= 239) return "a multicast address";
        if (a0 >= 240) return "a reserved address";
        return null;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] != 0) return false;
        return true;
    }

    /** An address range. */
    private record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            String t = text.strip();
            int slash = t.indexOf('/');
            String addr = slash < 0 ? t : t.substring(0, slash);
            if (!addr.matches("[0-9a-fA-F:.]+") || !(addr.contains(".") || addr.contains(":"))) {
                throw new IllegalArgumentException("network allow-list: '" + text
                        + "' is not an IP address or CIDR range (like 127.0.0.1 or 10.0.0.0/8)");
            }
            InetAddress a;
            try {
                a = InetAddress.getByName(addr); // a literal: no lookup happens
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("network allow-list: '" + text + "' is not an IP address", e);
            }
            byte[] bytes = a.getAddress();
            int max = bytes.length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? max : Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("network allow-list: bad prefix length in '" + text + "'", e);
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException(
                        "network allow-list: prefix length in '" + text + "' must be 0.." + max);
            }
            return new Cidr(bytes, prefix);
        }

        boolean contains(InetAddress address) {
            byte[] b = address.getAddress();
            if (b.length != network.length) return false;
            int full = prefix / 8, rest = prefix % 8;
            for (int i = 0; i < full; i++) if (b[i] != network[i]) return false;
            if (rest == 0) return true;
            int mask = (0xff << (8 - rest)) & 0xff;
            return (b[full] & mask) == (network[full] & mask);
        }
    }
}
