package org.voxca.store.puppetdir;

import java.nio.file.Path;

/** The server's identity files under the ssldir (puppet.conf hostcert, hostprivkey, …). */
public record SslPaths(
    Path ssldir, Path hostcert, Path hostprivkey, Path hostpubkey, Path localcacert, Path hostcrl) {

  /** The server's ECDSA certificate, beside its main one: {@code certs/<certname>-ecdsa.pem}. */
  public Path ecdsaCert() {
    return beside(hostcert);
  }

  /** The ECDSA certificate's key: {@code private_keys/<certname>-ecdsa.pem}. */
  public Path ecdsaKey() {
    return beside(hostprivkey);
  }

  private static Path beside(Path p) {
    String f = p.getFileName().toString();
    String base = f.endsWith(".pem") ? f.substring(0, f.length() - 4) : f;
    return p.resolveSibling(base + "-ecdsa.pem");
  }

  /** Puppet's default layout: certs/, private_keys/, public_keys/, certs/ca.pem, crl.pem. */
  public static SslPaths under(Path ssldir, String certname) {
    return new SslPaths(
        ssldir,
        ssldir.resolve("certs").resolve(certname + ".pem"),
        ssldir.resolve("private_keys").resolve(certname + ".pem"),
        ssldir.resolve("public_keys").resolve(certname + ".pem"),
        ssldir.resolve("certs").resolve("ca.pem"),
        ssldir.resolve("crl.pem"));
  }
}
