package dev.gptoss4j.tools.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.Dns;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

/** The SSRF guard: refused addresses are never connected to, directly, through DNS, or through a redirect. */
class NetworkGuardTest {

    private static InetAddress ip(String literal) throws java.net.UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    void internalAddressesAreRefusedByDefault() throws Exception {
        NetworkPolicy p = NetworkPolicy.publicInternetOnly();
        Map<String, String> refused = Map.ofEntries(
                Map.entry("127.0.0.1", "a loopback address"),
                Map.entry("127.255.0.9", "a loopback address"),
                Map.entry("10.1.2.3", "a private address"),
                Map.entry("172.16.0.1", "a private address"),
                Map.entry("172.31.255.255", "a private address"),
                Map.entry("192.168.1.1", "a private address"),
                Map.entry("169.254.10.10", "a link-local address"),
                Map.entry("169.254.169.254", "a cloud metadata address"),
                Map.entry("100.64.0.1", "a carrier-grade NAT address"),
                Map.entry("100.100.100.200", "a cloud metadata address"),
                Map.entry("0.0.0.0", "a 'this network' address"),
                Map.entry("224.0.0.1", "a multicast address"),
                Map.entry("255.255.255.255", "a reserved address"),
                Map.entry("::1", "a loopback address"),
                Map.entry("::", "the unspecified address"),
                Map.entry("fe80::1", "a link-local address"),
                Map.entry("fc00::1", "a unique-local address"),
                Map.entry("fd12:3456::1", "a unique-local address"),
                Map.entry("fd00:ec2::254", "a cloud metadata address"),
                Map.entry("ff02::1", "a multicast address"),
                Map.entry("::ffff:10.0.0.1", "a private address"),
                Map.entry("64:ff9b::a9fe:a9fe", "a cloud metadata address (embedded in IPv6)"),
                Map.entry("2002:c0a8:101::1", "a private address (embedded in IPv6)"),
                Map.entry("::7f00:1", "a loopback address (embedded in IPv6)"));
        refused.forEach((addr, why) -> {
            try {
                assertEquals(why, p.refusal(ip(addr)), addr);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        for (String ok : List.of("8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111")) {
            assertNull(p.refusal(ip(ok)), ok);
        }
        assertEquals("a cloud metadata host", p.refusal("metadata.google.internal."));
        assertNull(p.refusal("example.org"));
    }

    @Test
    void theAllowListOpensOnlyItsRanges() throws Exception {
        NetworkPolicy p = NetworkPolicy.allowing("127.0.0.1", "10.8.0.0/16", "fd00::/8");
        assertNull(p.refusal(ip("127.0.0.1")));
        assertEquals("a loopback address", p.refusal(ip("127.0.0.2")));
        assertNull(p.refusal(ip("10.8.200.1")));
        assertEquals("a private address", p.refusal(ip("10.9.0.1")));
        assertNull(p.refusal(ip("fd12::1")));
        assertEquals(
                "network allow-list: 'localhost' is not an IP address or CIDR range (like 127.0.0.1 or 10.0.0.0/8)",
                assertThrows(IllegalArgumentException.class, () -> NetworkPolicy.allowing("localhost"))
                        .getMessage());
        assertEquals(
                "network allow-list: prefix length in '10.0.0.0/33' must be 0..32",
                assertThrows(IllegalArgumentException.class, () -> NetworkPolicy.allowing("10.0.0.0/33"))
                        .getMessage());
    }

    @Test
    void loopbackLiteralAndLoopbackNameAreRefusedWithoutAnyRequest() throws Exception {
        try (MockWebServer server = TestSite.start(Map.of())) {
            Browser b = Browser.builder()
                    .pageFetcher(HttpPageFetcher.builder().build())
                    .build();
            String literal = "http://127.0.0.1:" + server.getPort() + "/article";
            assertEquals(
                    "Error fetching URL `" + literal + "`: refused to connect to 127.0.0.1: it is a loopback "
                            + "address; only public internet addresses can be opened",
                    assertThrows(BrowserException.class, () -> b.open(literal, -1, -1, -1, false))
                            .getMessage());
            String named = "http://localhost:" + server.getPort() + "/article";
            String msg = assertThrows(BrowserException.class, () -> b.open(named, -1, -1, -1, false))
                    .getMessage();
            assertTrue(
                    msg.startsWith(
                            "Error fetching URL `" + named + "`: refused to connect to localhost: it resolves to "),
                    msg);
            assertTrue(msg.endsWith("a loopback address; only public internet addresses can be opened"), msg);
            assertEquals(0, server.getRequestCount(), "nothing reached the server");
        }
    }

    @Test
    void aNameResolvingToAPrivateAddressIsRefusedBeforeConnecting() throws Exception {
        try (MockWebServer server = TestSite.start(Map.of())) {
            List<String> lookups = new ArrayList<>();
            Dns fake = host -> {
                lookups.add(host);
                return List.of(ip("127.0.0.1")); // the live test server: a connection would succeed
            };
            PageFetcher fetcher = HttpPageFetcher.builder().dns(fake).build();
            String msg = assertThrows(
                            BrowserException.class,
                            () -> fetcher.fetch("http://intranet.example:" + server.getPort() + "/article", false))
                    .getMessage();
            assertEquals(
                    "refused to connect to intranet.example: it resolves to 127.0.0.1, a loopback address; "
                            + "only public internet addresses can be opened",
                    msg);
            assertEquals(List.of("intranet.example"), lookups);
            assertEquals(0, server.getRequestCount());
            // metadata host names are refused before any lookup
            assertThrows(BrowserException.class, () -> fetcher.fetch("http://metadata.google.internal/x", false));
            assertEquals(List.of("intranet.example"), lookups);
        }
    }

    @Test
    void everyRedirectHopIsChecked() throws Exception {
        try (MockWebServer inner = new MockWebServer()) {
            inner.enqueue(new MockResponse().setBody("secret"));
            inner.start(ip("127.0.0.2"), 0);
            String innerUrl = "http://127.0.0.2:" + inner.getPort() + "/secret";
            try (MockWebServer outer = TestSite.start(Map.of(
                    "/to-literal", r -> TestSite.redirect(302, innerUrl),
                    "/to-name", r -> TestSite.redirect(301, "http://internal.example:" + inner.getPort() + "/secret"),
                    "/to-metadata", r -> TestSite.redirect(307, "http://169.254.169.254/latest/meta-data/"),
                    "/to-ftp", r -> TestSite.redirect(302, "ftp://example.org/file")))) {
                Dns dns = host -> host.equals("internal.example") ? List.of(ip("127.0.0.2")) : Dns.SYSTEM.lookup(host);
                PageFetcher fetcher = HttpPageFetcher.builder()
                        .dns(dns)
                        .networkPolicy(NetworkPolicy.allowing("127.0.0.1"))
                        .build(); // the outer server only
                String base = "http://127.0.0.1:" + outer.getPort();
                assertEquals(
                        "refused to connect to 127.0.0.2: it is a loopback address; only public internet "
                                + "addresses can be opened",
                        assertThrows(BrowserException.class, () -> fetcher.fetch(base + "/to-literal", false))
                                .getMessage());
                assertEquals(
                        "refused to connect to internal.example: it resolves to 127.0.0.2, a loopback address; "
                                + "only public internet addresses can be opened",
                        assertThrows(BrowserException.class, () -> fetcher.fetch(base + "/to-name", false))
                                .getMessage());
                assertEquals(
                        "refused to connect to 169.254.169.254: it is a cloud metadata address; only public "
                                + "internet addresses can be opened",
                        assertThrows(BrowserException.class, () -> fetcher.fetch(base + "/to-metadata", false))
                                .getMessage());
                assertEquals(
                        "redirected to ftp://example.org/file, which is not an http or https URL",
                        assertThrows(BrowserException.class, () -> fetcher.fetch(base + "/to-ftp", false))
                                .getMessage());
                assertEquals(4, outer.getRequestCount());
                assertEquals(0, inner.getRequestCount(), "the refused server was never contacted");
                // opened through the allow-list, the same redirect is followed
                PageFetcher open = HttpPageFetcher.builder()
                        .networkPolicy(NetworkPolicy.allowing("127.0.0.0/8"))
                        .build();
                assertTrue(open.fetch(base + "/to-literal", false).text().contains("secret"));
                assertEquals(1, inner.getRequestCount());
            }
        }
    }
}
