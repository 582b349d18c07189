package org.voxca.store.puppetdir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.voxca.files.AtomicFiles;
import org.voxca.pki.Certificates;
import org.voxca.store.HostIdentityStore;

/**
 * The server's identity in a Puppet ssldir, where {@code puppetserver ca} and curl look for it.
 * Directory modes follow Puppet: ssldir 0771, private_keys 0750.
 */
public final class PuppetSslDir implements HostIdentityStore {
  private final SslPaths paths;

  public PuppetSslDir(SslPaths paths) {
    this.paths = paths;
  }

  @Override
  public Optional<HostIdentity> load() {
    if (!Files.isRegularFile(paths.hostcert()) || !Files.isRegularFile(paths.hostprivkey())) {
      return Optional.empty();
    }
    String pub = Files.isRegularFile(paths.hostpubkey()) ? read(paths.hostpubkey()) : "";
    return Optional.of(new HostIdentity(read(paths.hostcert()), read(paths.hostprivkey()), pub));
  }

  @Override
  public List<String> setAsideForeign(X509Certificate ca, String suffix) {
    List<String> moved = new ArrayList<>();
    setAside(ca, suffix, moved, paths.hostcert(), paths.hostprivkey(), paths.hostpubkey());
    setAside(ca, suffix, moved, paths.ecdsaCert(), paths.ecdsaKey());
    return moved;
  }

  /**
   * Moves {@code files} aside when the first, a certificate, exists and {@code ca} did not sign it.
   */
  private static void setAside(
      X509Certificate ca, String suffix, List<String> moved, Path... files) {
    if (!Files.isRegularFile(files[0]) || signedBy(read(files[0]), ca)) {
      return;
    }
    for (Path p : files) {
      if (Files.isRegularFile(p)) {
        Path aside = p.resolveSibling(p.getFileName() + suffix);
        try {
          Files.move(p, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot move " + p + " aside", e);
        }
        moved.add(p + " -> " + aside);
      }
    }
  }

  private static boolean signedBy(String pem, X509Certificate ca) {
    try {
      X509Certificate c = Certificates.readCertificates(pem).get(0);
      c.verify(ca.getPublicKey());
      return c.getIssuerX500Principal().equals(ca.getSubjectX500Principal());
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public String certificateLocation() {
    return paths.hostcert().toString();
  }

  @Override
  public String privateKeyLocation() {
    return paths.hostprivkey().toString();
  }

  @Override
  public boolean certificateWithoutKey() {
    return Files.isRegularFile(paths.hostcert()) && !Files.isRegularFile(paths.hostprivkey());
  }

  @Override
  public void save(HostIdentity id) {
    AtomicFiles.directory(paths.ssldir(), "rwxrwx--x");
    AtomicFiles.directory(paths.hostprivkey().getParent(), "rwxr-x---");
    AtomicFiles.directory(paths.hostpubkey().getParent(), "rwxr-xr-x");
    AtomicFiles.directory(paths.hostcert().getParent(), "rwxr-xr-x");
    AtomicFiles.write(paths.hostprivkey(), utf8(id.privateKeyPem()), AtomicFiles.PRIVATE);
    AtomicFiles.write(paths.hostpubkey(), utf8(id.publicKeyPem()), AtomicFiles.PUBLIC);
    AtomicFiles.write(paths.hostcert(), utf8(id.certificatePem()), AtomicFiles.PUBLIC);
  }

  @Override
  public Optional<HostIdentity> loadEcdsa() {
    Path cert = paths.ecdsaCert();
    Path key = paths.ecdsaKey();
    if (!Files.isRegularFile(cert) || !Files.isRegularFile(key)) {
      return Optional.empty();
    }
    return Optional.of(new HostIdentity(read(cert), read(key), ""));
  }

  @Override
  public void saveEcdsa(HostIdentity id) {
    AtomicFiles.directory(paths.ssldir(), "rwxrwx--x");
    AtomicFiles.directory(paths.ecdsaKey().getParent(), "rwxr-x---");
    AtomicFiles.directory(paths.ecdsaCert().getParent(), "rwxr-xr-x");
    AtomicFiles.write(paths.ecdsaKey(), utf8(id.privateKeyPem()), AtomicFiles.PRIVATE);
    AtomicFiles.write(paths.ecdsaCert(), utf8(id.certificatePem()), AtomicFiles.PUBLIC);
  }

  @Override
  public void updateTrust(byte[] caBundle, byte[] crlChain) {
    AtomicFiles.directory(paths.ssldir(), "rwxrwx--x");
    AtomicFiles.directory(paths.localcacert().getParent(), "rwxr-xr-x");
    replaceIfDifferent(paths.localcacert(), caBundle);
    replaceIfDifferent(paths.hostcrl(), crlChain);
  }

  /** What this process last wrote or read per file: compared instead of re-reading a 5 MB CRL. */
  private final Map<Path, byte[]> known = new ConcurrentHashMap<>();

  private void replaceIfDifferent(Path p, byte[] bytes) {
    try {
      byte[] last = known.get(p);
      if (last == null && Files.isRegularFile(p)) {
        last = Files.readAllBytes(p);
      }
      if (last != null && Arrays.equals(last, bytes)) {
        known.put(p, bytes);
        return;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
    AtomicFiles.write(p, bytes, AtomicFiles.PUBLIC);
    known.put(p, bytes);
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
