package dev.tiergate.provider;

import dev.tiergate.config.ConfigException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether an upstream address may be contacted: the gateway's SSRF guard. Base URLs are checked when config or
 * the registry is read ({@link #checkUrl}); every resolved address is checked again when a request is sent
 * ({@link #refusal}, through {@link ResolvedHosts}), so a name that later resolves somewhere else is refused too.
 *
 * <p>Always refused: link-local (169.254.0.0/16 with the cloud metadata address, fe80::/10), the unspecified address,
 * multicast, Alibaba's 100.100.100.200, AWS's fd00:ec2::254 and the well-known metadata host names. Refused unless
 * private networks are allowed for the provider: loopback, RFC 1918, CGNAT 100.64.0.0/10, 0.0.0.0/8, unique local
 * fc00::/7 and site-local fec0::/10. IPv4 addresses embedded in IPv6 (mapped, compatible, NAT64 64:ff9b::/96) are
 * judged as the IPv4 address they carry.
 */
public final class UpstreamGuard {

  /** Comma-separated provider names (or {@code *}) whose upstreams may be on loopback or private networks. */
  public static final String ALLOW_PRIVATE_ENV = "TIERGATE_ALLOW_PRIVATE_UPSTREAMS";

  private static final Set<String> METADATA_NAMES = Set.of("metadata", "metadata.google.internal", "instance-data",
      "instance-data.ec2.internal");
  private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");
  // Hosts that inet_aton() reads as an IPv4 address ("2130706433", "0x7f.1", "127.1", "0177.0.0.1"): refused so
  // that no resolver interprets them differently from this guard.
  private static final Pattern NUMERIC_HOST = Pattern.compile("(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]*))*\\.?");
  private static final byte[] AWS_METADATA_V6 = literal("fd00:ec2::254").getAddress();

  private UpstreamGuard() {
  }

  /**
   * Validates a provider base URL when config or the registry is read: http(s), a host, no user-info, no fragment,
   * not a metadata host name, and a literal IP host that {@link #refusal} allows. Host names are not resolved here.
   *
   * @param where        the config key or registry row, for the message
   * @param allowPrivate whether loopback and private addresses are allowed (a local provider, or one marked so)
   * @throws ConfigException naming {@code where} when the URL is refused
   */
  public static void checkUrl(String where, URI url, boolean allowPrivate) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new ConfigException(where, "must be an http or https URL");
    }
    if (url.getRawUserInfo() != null) {
      throw new ConfigException(where, "must not contain user-info (credentials before '@'); send keys as headers");
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      throw new ConfigException(where, "must name a host");
    }
    if (url.getRawFragment() != null) {
      throw new ConfigException(where, "must not contain a fragment ('#…')");
    }
    String host = url.getHost().toLowerCase(Locale.ROOT);
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (METADATA_NAMES.contains(name)) {
      throw new ConfigException(where, "host '" + name + "' is a cloud metadata service and is never allowed");
    }
    InetAddress literal = literal(host);
    if (literal == null && host.startsWith("[")) {
      throw new ConfigException(where, "host '" + host + "' must be a plain IPv6 address (no zone)");
    }
    if (literal == null && NUMERIC_HOST.matcher(host).matches()) {
      throw new ConfigException(where, "host '" + host + "' must be written as a dotted-quad IPv4 address or a name");
    }
    String refused = literal == null ? null : refusal(literal, allowPrivate);
    if (refused != null) {
      throw new ConfigException(where, "not allowed: " + refused);
    }
  }

  /**
   * The parsed address when {@code host} is a literal IP (dotted-quad IPv4, or IPv6 with or without brackets), with no
   * DNS lookup; null for a host name.
   */
  public static InetAddress literal(String host) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    try {
      if (DOTTED_QUAD.matcher(bare).matches()) {
        byte[] bytes = new byte[4];
        String[] parts = bare.split("\\.");
        for (int i = 0; i < 4; i++) {
          int part = Integer.parseInt(parts[i]);
          // "017" is 15 to inet_aton() and 17 here: a leading zero is ambiguous, so not a literal.
          if (part > 255 || (parts[i].length() > 1 && parts[i].charAt(0) == '0')) {
            return null;
          }
          bytes[i] = (byte) part;
        }
        return InetAddress.getByAddress(bytes);
      }
      // Only hex digits, colons and dots: InetAddress parses it as an IPv6 literal or fails, never asks DNS.
      return bare.contains(":") && IPV6_CHARS.matcher(bare).matches() ? InetAddress.getByName(bare) : null;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /**
   * Why {@code address} must not be contacted, or null when it may be.
   *
   * @param allowPrivate whether loopback and private ranges are allowed; link-local, metadata, unspecified and
   *                     multicast addresses are refused regardless
   */
  public static String refusal(InetAddress address, boolean allowPrivate) {
    byte[] bytes = address.getAddress();
    String shown = address.getHostAddress();
    if (bytes.length == 16) {
      byte[] embedded = embeddedIpv4(bytes);
      if (embedded == null) {
        return ipv6Refusal(bytes, shown, allowPrivate);
      }
      bytes = embedded;
    }
    String always = ipv4Always(bytes);
    if (always != null) {
      return shown + " is " + always;
    }
    String privately = allowPrivate ? null : ipv4Private(bytes);
    return privately == null ? null : shown + " is " + privately + privateHint();
  }

  /** Whether the {@link #ALLOW_PRIVATE_ENV} value ({@code a,b} or {@code *}) names {@code provider}. */
  public static boolean listed(String envValue, String provider) {
    if (envValue == null || envValue.isBlank()) {
      return false;
    }
    return Arrays.stream(envValue.split(",")).map(String::trim).anyMatch(n -> n.equals("*") || n.equals(provider));
  }

  private static String ipv4Always(byte[] b) {
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    if (a0 == 169 && a1 == 254) {
      return "a link-local address (the cloud metadata range)";
    }
    if (a0 == 100 && a1 == 100 && (b[2] & 0xff) == 100 && (b[3] & 0xff) == 200) {
      return "a cloud metadata address";
    }
    if (a0 == 0 && a1 == 0 && b[2] == 0 && b[3] == 0) {
      return "the unspecified address";
    }
    if (a0 >= 224 && a0 <= 239) {
      return "a multicast address";
    }
    return null;
  }

  private static String ipv4Private(byte[] b) {
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    if (a0 == 127) {
      return "a loopback address";
    }
    if (a0 == 10 || (a0 == 172 && a1 >= 16 && a1 <= 31) || (a0 == 192 && a1 == 168)) {
      return "a private address";
    }
    if (a0 == 100 && a1 >= 64 && a1 <= 127) {
      return "a carrier-grade NAT address";
    }
    if (a0 == 0) {
      return "a 'this network' address (0.0.0.0/8)";
    }
    return null;
  }

  private static String ipv6Refusal(byte[] b, String shown, boolean allowPrivate) {
    int b0 = b[0] & 0xff;
    int b1 = b[1] & 0xff;
    if (Arrays.equals(b, AWS_METADATA_V6)) {
      return shown + " is a cloud metadata address";
    }
    if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
      return shown + " is a link-local address";
    }
    if (b0 == 0xff) {
      return shown + " is a multicast address";
    }
    if (isZero(b, 0, 16)) {
      return shown + " is the unspecified address";
    }
    if (allowPrivate) {
      return null;
    }
    if (isZero(b, 0, 15) && b[15] == 1) {
      return shown + " is a loopback address" + privateHint();
    }
    if ((b0 & 0xfe) == 0xfc) {
      return shown + " is a unique local address" + privateHint();
    }
    if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
      return shown + " is a site-local address" + privateHint();
    }
    return null;
  }

  /** The IPv4 address an IPv6 one carries: IPv4-mapped, IPv4-compatible (not :: or ::1), or NAT64 64:ff9b::/96. */
  private static byte[] embeddedIpv4(byte[] b) {
    boolean mapped = isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    boolean compatible = isZero(b, 0, 12) && !(isZero(b, 12, 15) && (b[15] == 0 || b[15] == 1));
    boolean nat64 = b[0] == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
        && isZero(b, 4, 12);
    return mapped || compatible || nat64 ? Arrays.copyOfRange(b, 12, 16) : null;
  }

  private static boolean isZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static String privateHint() {
    return " (allowed only for a provider marked local or allowPrivateNetwork, or listed in " + ALLOW_PRIVATE_ENV
        + ")";
  }
}
