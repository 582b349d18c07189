package org.voxca.pkcs11;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import org.voxca.ca.CaKeys;
import org.voxca.ca.StartupException;
import org.voxca.pki.TokenReference;

/**
 * CA keys in a PKCS#11 token ({@code voxca { ca-key { type: pkcs11 } }}): made inside it, imported
 * into it, and used only through it. The store keeps a {@link TokenReference} in place of each key.
 */
public final class TokenKeys implements CaKeys {
  private static final byte[] PROBE =
      "voxca token check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private final Token token;
  private volatile long lastProbe = System.nanoTime();

  private TokenKeys(Token token) {
    this.token = token;
  }

  /** Opens the token now (log in with the PIN); a {@link StartupException} says why it cannot. */
  public static TokenKeys open(TokenConfig config) {
    TokenProvider.install();
    Token token = new Token(config);
    try {
      token.open();
    } catch (TokenException e) {
      throw new StartupException("Cannot use the PKCS#11 token: " + e.getMessage());
    }
    return new TokenKeys(token);
  }

  @Override
  public KeyPair generate(String role, int rsaBits, String ecCurve) {
    String label = token.config().label(role);
    refuseIfTaken(label);
    try {
      KeyPairGenerator g;
      if (ecCurve == null) {
        g = KeyPairGenerator.getInstance("RSA", token.provider());
        g.initialize(rsaBits);
      } else {
        g = KeyPairGenerator.getInstance("EC", token.provider());
        g.initialize(new ECGenParameterSpec(ecCurve));
      }
      KeyPair made = g.generateKeyPair();
      token.pending(label, made);
      return new KeyPair(
          made.getPublic(), new TokenKey(token, label, made.getPrivate().getAlgorithm()));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new StartupException(
          "Cannot generate the "
              + (ecCurve == null ? "RSA-" + rsaBits : "EC " + ecCurve)
              + " key in "
              + token.config()
              + ": "
              + e.getMessage());
    }
  }

  @Override
  public String keep(String role, KeyPair keys, X509Certificate cert) {
    String label = token.config().label(role);
    if (keys.getPrivate() instanceof TokenKey k) {
      token.store(k.label(), token.key(k.label()).getPrivate(), cert);
      return TokenReference.of(k.label());
    }
    refuseIfTaken(label);
    token.store(label, keys.getPrivate(), cert);
    return TokenReference.of(label);
  }

  private void refuseIfTaken(String label) {
    if (token.has(label)) {
      throw new StartupException(
          "The PKCS#11 "
              + token.config()
              + " already holds a key labelled '"
              + label
              + "': choose another key-label, or delete that object first");
    }
  }

  @Override
  public KeyPair open(String role, String kept) {
    if (!TokenReference.is(kept)) {
      throw new StartupException(
          "The CA's "
              + role
              + " key is a file, but voxca.ca-key.type is pkcs11: move it into the"
              + " token with `voxca ca import-key`, or set voxca { ca-key { type: file } }");
    }
    String label = TokenReference.label(kept);
    if (role.equals("ca")) {
      token.caLabel(label);
    }
    try {
      KeyPair pair = token.key(label);
      return new KeyPair(
          pair.getPublic(), new TokenKey(token, label, pair.getPrivate().getAlgorithm()));
    } catch (TokenException e) {
      throw new StartupException("Cannot use the CA's " + role + " key: " + e.getMessage());
    }
  }

  /**
   * Destroys the token object a withdrawn key of {@code role} was kept in — only the label this
   * token gives that role, never the CA key's.
   */
  @Override
  public boolean discard(String role, String kept) {
    if (role.equals("ca")
        || !TokenReference.is(kept)
        || !TokenReference.label(kept).equals(token.config().label(role))) {
      return false;
    }
    token.delete(TokenReference.label(kept));
    return true;
  }

  @Override
  public String problem() {
    return token.problem();
  }

  /**
   * Signs a probe with the CA key through the token, so a token removed while idle is noticed (and
   * one that came back is used again) without waiting for a request.
   */
  @Override
  public void check() {
    if (System.nanoTime() - lastProbe < token.config().retry().toNanos()) {
      return;
    }
    lastProbe = System.nanoTime();
    if (!token.recover()) {
      return;
    }
    try {
      KeyPair pair = token.key(token.caLabel());
      Signature s = Signature.getInstance(algorithm(pair), token.provider());
      s.initSign(pair.getPrivate());
      s.update(PROBE);
      s.sign();
    } catch (GeneralSecurityException | RuntimeException e) {
      token.failed(e);
    }
  }

  private static String algorithm(KeyPair pair) {
    return "EC".equals(pair.getPrivate().getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
  }

  @Override
  public void close() {
    token.close();
  }

  @Override
  public String describe() {
    return "pkcs11 " + token.config();
  }
}
