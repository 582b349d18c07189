package org.voxca.cli;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.voxca.assembly.CaAssembly;
import org.voxca.ca.CaKeys;
import org.voxca.ca.StartupException;
import org.voxca.config.VoxcaConfig;
import org.voxca.pki.Certificates;
import org.voxca.pki.Keys;
import org.voxca.pki.PublicKeys;
import org.voxca.pki.TokenReference;
import org.voxca.store.CaMaterial;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code voxca ca import-key} (offline): moves the CA's file key (and a two-level CA's root key)
 * into a PKCS#11 token. Each key is stored in the token, a signature through the token is checked
 * against its certificate, and only then does the store keep a reference in its place; the old key
 * file stays beside it ({@code .imported}) for the operator to destroy once the server runs.
 */
@Command(
    name = "import-key",
    mixinStandardHelpOptions = true,
    description = "Move the CA's key files into a PKCS#11 token (offline).")
final class ImportKeyCommand implements Callable<Integer> {
  private static final byte[] PROBE =
      "voxca import-key".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  @Mixin CliOptions options;
  @Mixin TokenOptions token;

  @Override
  public Integer call() throws Exception {
    if (!token.named()) {
      System.err.println(
          "Error: name the token: --pkcs11 [LIBRARY] --token-label LABEL --pin-file FILE");
      return Outcome.ERROR;
    }
    CaAssembly parts = options.assembly(); // the keys read as configured: files, or encrypted
    if (parts.config().store().pkcs11() != null) {
      System.err.println("Error: voxca.ca-key.type is pkcs11 already: the key is not a file");
      return Outcome.ERROR;
    }
    token.applyTo(options); // the token, as the configuration would name it (defaults, checks)
    VoxcaConfig.Pkcs11 target = options.load().store().pkcs11();
    return Offline.locked(
        parts,
        store -> {
          if (!Offline.complete(store)) {
            return Outcome.ERROR;
          }
          CaMaterial m = store.documents().readCa();
          if (TokenReference.is(m.privateKeyPem())) {
            System.err.println(
                "Error: the CA key is in a token already ("
                    + TokenReference.label(m.privateKeyPem())
                    + ")");
            return Outcome.ERROR;
          }
          List<X509Certificate> bundle = Certificates.readCertificates(m.certBundlePem());
          CaKeys keys = parts.tokenKeys(target);
          try {
            String ca = move(keys, "ca", Keys.readKeyPair(m.privateKeyPem()), bundle);
            Optional<String> rootPem = store.documents().rootKey();
            String root =
                rootPem.isPresent()
                    ? move(keys, "root", Keys.readKeyPair(rootPem.get()), bundle)
                    : null;
            List<String> old = store.documents().replaceKeys(ca, root);
            System.out.println(
                "Moved the CA key"
                    + (root == null ? "" : " and the root CA key")
                    + " into "
                    + keys.describe()
                    + ". Set the server's configuration to\n  "
                    + TokenOptions.hocon(target)
                    + "\nand start it; once it signs, destroy every copy of the old key:");
            for (String o : old) {
              System.out.println("  " + (o.startsWith("database:") ? o : "shred -u " + o));
            }
            System.out.println(
                "  and any backup of them (keep one offline only to go back to Puppet Server).");
            return Outcome.OK;
          } finally {
            keys.close();
          }
        });
  }

  /**
   * Stores {@code pair} in the token as {@code role}, checks a signature through it, returns the
   * reference.
   */
  private static String move(CaKeys keys, String role, KeyPair pair, List<X509Certificate> bundle) {
    X509Certificate cert =
        bundle.stream()
            .filter(c -> PublicKeys.same(c.getPublicKey(), pair.getPublic()))
            .findFirst()
            .orElseThrow(
                () ->
                    new StartupException(
                        "the " + role + " key matches no certificate of the CA bundle"));
    String reference = keys.keep(role, pair, cert);
    KeyPair inToken = keys.open(role, reference);
    try {
      String alg = Keys.signatureAlgorithm(inToken.getPrivate());
      Signature s = Signature.getInstance(alg);
      s.initSign(inToken.getPrivate());
      s.update(PROBE);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(cert.getPublicKey());
      v.update(PROBE);
      if (!v.verify(sig)) {
        throw new StartupException("a signature by the token's " + role + " key does not verify");
      }
    } catch (GeneralSecurityException e) {
      throw new StartupException(
          "cannot sign with the token's " + role + " key: " + e.getMessage());
    }
    return reference;
  }
}
