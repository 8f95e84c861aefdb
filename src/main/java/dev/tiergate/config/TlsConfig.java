package dev.tiergate.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Inbound TLS on the public port from PEM files ({@code http.tls}).
 *
 * @param certPath the certificate chain, PEM
 * @param keyPath  the private key, PEM (PKCS#8 or PKCS#1)
 */
public record TlsConfig(Path certPath, Path keyPath) {

  public TlsConfig {
    if (!Files.isReadable(certPath)) {
      throw new ConfigException("http.tls.certPath", "cannot read " + certPath);
    }
    if (!Files.isReadable(keyPath)) {
      throw new ConfigException("http.tls.keyPath", "cannot read " + keyPath);
    }
  }
}
