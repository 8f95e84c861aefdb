package dev.tiergate.provider;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tiergate.config.ConfigException;
import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SSRF guard's address classes and base-URL rules, table-driven. No DNS: every address here is a literal. */
class UpstreamGuardTest {

  /** address, refused without allowPrivate, refused with allowPrivate. */
  @ParameterizedTest(name = "{0}: refused={1}, refused with allowPrivate={2}")
  @CsvSource({
      // always refused: link-local and cloud metadata, unspecified, multicast
      "169.254.169.254, true, true",
      "169.254.0.1, true, true",
      "169.254.255.255, true, true",
      "100.100.100.200, true, true",
      "0.0.0.0, true, true",
      "224.0.0.1, true, true",
      "239.255.255.250, true, true",
      "fe80::1, true, true",
      "febf:ffff::1, true, true",
      "::, true, true",
      "ff02::1, true, true",
      "fd00:ec2::254, true, true",
      // IPv4 inside IPv6 is judged as the IPv4 address
      "::ffff:169.254.169.254, true, true",
      "::169.254.169.254, true, true",
      "::ffff:a9fe:a9fe, true, true",
      "64:ff9b::a9fe:a9fe, true, true",
      "::ffff:0.0.0.0, true, true",
      "::ffff:100.100.100.200, true, true",
      // refused unless private networks are allowed
      "127.0.0.1, true, false",
      "127.255.255.254, true, false",
      "10.0.0.5, true, false",
      "10.255.255.255, true, false",
      "172.16.0.1, true, false",
      "172.31.255.255, true, false",
      "192.168.1.10, true, false",
      "100.64.0.1, true, false",
      "100.127.255.255, true, false",
      "0.1.2.3, true, false",
      "::1, true, false",
      "fc00::1, true, false",
      "fd12:3456::1, true, false",
      "fec0::1, true, false",
      "::ffff:127.0.0.1, true, false",
      "::ffff:10.0.0.5, true, false",
      "::127.0.0.1, true, false",
      "::ffff:192.168.0.1, true, false",
      // public: allowed
      "8.8.8.8, false, false",
      "1.1.1.1, false, false",
      "172.15.255.255, false, false",
      "172.32.0.1, false, false",
      "100.63.255.255, false, false",
      "100.128.0.1, false, false",
      "169.253.255.255, false, false",
      "192.169.0.1, false, false",
      "223.255.255.255, false, false",
      "2606:4700::1, false, false",
      "2001:4860:4860::8888, false, false",
      "::ffff:8.8.8.8, false, false",
      "64:ff9b::808:808, false, false",
  })
  void classifiesAddresses(String literal, boolean refused, boolean refusedWithPrivate) {
    InetAddress address = UpstreamGuard.literal(literal);
    assertNotNull(address, literal + " is a literal");
    assertEquals(refused, UpstreamGuard.refusal(address, false) != null, literal + " without allowPrivate");
    assertEquals(refusedWithPrivate, UpstreamGuard.refusal(address, true) != null, literal + " with allowPrivate");
  }

  @Test
  void aRefusalSaysWhatTheAddressIsAndHowToAllowIt() {
    String loopback = UpstreamGuard.refusal(UpstreamGuard.literal("127.0.0.1"), false);
    assertTrue(loopback.contains("127.0.0.1") && loopback.contains("loopback"), loopback);
    assertTrue(loopback.contains("allowPrivateNetwork"), loopback);
    String metadata = UpstreamGuard.refusal(UpstreamGuard.literal("169.254.169.254"), true);
    assertTrue(metadata.contains("link-local"), metadata);
    assertFalse(metadata.contains("allowPrivateNetwork"), "nothing allows a metadata address: " + metadata);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "localhost", "api.openai.com", "metadata.google.internal", "127.1", "2130706433", "0x7f000001", "017.0.0.1",
      "256.1.1.1", "evil:host",
  })
  void namesAndAmbiguousNumbersAreNotLiterals(String host) {
    assertNull(UpstreamGuard.literal(host));
  }

  @Test
  void bracketedIpv6IsALiteral() {
    assertNotNull(UpstreamGuard.literal("[::1]"));
    assertEquals("8.8.8.8", UpstreamGuard.literal("8.8.8.8").getHostAddress());
  }

  /** url, allowPrivate, refused. */
  @ParameterizedTest(name = "{0} (allowPrivate={1}): refused={2}")
  @CsvSource({
      "https://api.openai.com/v1, false, false",
      "http://8.8.8.8:8080/v1, false, false",
      "http://[2606:4700::1]/v1, false, false",
      "http://localhost:11434, false, false",
      "http://vllm.internal:8000/v1, false, false",
      "http://127.0.0.1:8000/v1, true, false",
      "http://10.0.0.5/v1, true, false",
      "http://[::1]:8000, true, false",
      "http://127.0.0.1:8000/v1, false, true",
      "http://10.0.0.5/v1, false, true",
      "http://[::1]:8000, false, true",
      "http://169.254.169.254/latest/meta-data, true, true",
      "http://169.254.169.254/latest/meta-data, false, true",
      "http://[::ffff:169.254.169.254]/, true, true",
      "http://[fd00:ec2::254]/, true, true",
      "http://100.100.100.200/, true, true",
      "http://0.0.0.0:8080/, true, true",
      "http://metadata.google.internal/computeMetadata/v1, true, true",
      "http://METADATA.google.internal./, true, true",
      "http://metadata/, true, true",
      "http://instance-data/latest, true, true",
      "http://user:pass@api.example.com/v1, false, true",
      "http://user@api.example.com/v1, true, true",
      "ftp://api.example.com/v1, false, true",
      "file:///etc/passwd, true, true",
      "https://api.example.com/v1#frag, false, true",
      "http://2130706433/, true, true",
      "http://0x7f.1/, true, true",
      "http://127.1/, true, true",
      "http://017.0.0.1/, true, true",
      "http://[fe80::1%25eth0]:8080/, true, true",
  })
  void checksBaseUrls(String url, boolean allowPrivate, boolean refused) {
    URI uri = URI.create(url);
    if (refused) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> UpstreamGuard.checkUrl("providers.x.baseUrl", uri, allowPrivate));
      assertTrue(e.getMessage().startsWith("providers.x.baseUrl: "), e.getMessage());
      assertFalse(e.getMessage().contains("pass"), "credentials are never echoed: " + e.getMessage());
    } else {
      assertDoesNotThrow(() -> UpstreamGuard.checkUrl("providers.x.baseUrl", uri, allowPrivate));
    }
  }

  @Test
  void aUrlWithoutAHostIsRefused() {
    assertThrows(ConfigException.class, () -> UpstreamGuard.checkUrl("k", URI.create("http:/v1"), true));
    assertThrows(ConfigException.class, () -> UpstreamGuard.checkUrl("k", URI.create("http://_bad_:80/"), true));
  }

  @Test
  void theEnvListNamesProvidersOrEverything() {
    assertTrue(UpstreamGuard.listed("openai", "openai"));
    assertTrue(UpstreamGuard.listed(" vllm , openai ", "openai"));
    assertTrue(UpstreamGuard.listed("*", "anything"));
    assertFalse(UpstreamGuard.listed("openai", "anthropic"));
    assertFalse(UpstreamGuard.listed("openai-2", "openai"));
    assertFalse(UpstreamGuard.listed("", "openai"));
    assertFalse(UpstreamGuard.listed(null, "openai"));
  }
}
