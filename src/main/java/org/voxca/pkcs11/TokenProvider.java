package org.voxca.pkcs11;

import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.util.List;
import java.util.Map;

/**
 * The JCA provider that signs with a {@link TokenKey}: each signature asks the key's token for its
 * current handle and signs with the token's own provider. A failure marks the token failed (it is
 * opened again later) and is reported as a {@link SignatureException}. Registered once; the JDK
 * picks it for a {@link TokenKey} only.
 */
final class TokenProvider extends Provider {
  private static final long serialVersionUID = 1L;
  private static final List<String> ALGORITHMS =
      List.of(
          "SHA256withRSA",
          "SHA384withRSA",
          "SHA512withRSA",
          "SHA256withECDSA",
          "SHA384withECDSA",
          "SHA512withECDSA");

  private TokenProvider() {
    super("VoxcaPkcs11", "1", "voxca: CA keys held in a PKCS#11 token");
    for (String alg : ALGORITHMS) {
      putService(new KeyService(this, alg));
    }
  }

  /** Registers the provider once. */
  static synchronized void install() {
    if (Security.getProvider("VoxcaPkcs11") == null) {
      Security.addProvider(new TokenProvider());
    }
  }

  private static final class KeyService extends Service {
    KeyService(Provider p, String algorithm) {
      super(p, "Signature", algorithm, TokenSignature.class.getName(), null, Map.of());
    }

    @Override
    public boolean supportsParameter(Object key) {
      return key instanceof TokenKey;
    }

    @Override
    public Object newInstance(Object parameter) {
      return new TokenSignature(getAlgorithm());
    }
  }

  /** One signature: delegated to the token's provider with the key's current handle. */
  static final class TokenSignature extends SignatureSpi {
    private final String algorithm;
    private TokenKey key;
    private Signature delegate;

    TokenSignature(String algorithm) {
      this.algorithm = algorithm;
    }

    @Override
    protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
      if (!(privateKey instanceof TokenKey k)) {
        throw new InvalidKeyException("not a key in a PKCS#11 token");
      }
      key = k;
      Token token = k.token();
      if (!token.recover()) {
        throw new InvalidKeyException(token.problem());
      }
      try {
        Signature s = Signature.getInstance(algorithm, token.provider());
        s.initSign(token.key(k.label()).getPrivate());
        delegate = s;
      } catch (java.security.GeneralSecurityException | RuntimeException e) {
        token.failed(e);
        throw new InvalidKeyException(token.problem(), e);
      }
    }

    @Override
    protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
      throw new InvalidKeyException("verification is not done through the token");
    }

    @Override
    protected void engineUpdate(byte b) throws SignatureException {
      engineUpdate(new byte[] {b}, 0, 1);
    }

    @Override
    protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
      try {
        delegate.update(b, off, len);
      } catch (SignatureException | RuntimeException e) {
        key.token().failed(e);
        throw new SignatureException(key.token().problem(), e);
      }
    }

    @Override
    protected byte[] engineSign() throws SignatureException {
      try {
        return delegate.sign();
      } catch (SignatureException | RuntimeException e) {
        key.token().failed(e);
        throw new SignatureException(key.token().problem(), e);
      }
    }

    @Override
    protected boolean engineVerify(byte[] sig) throws SignatureException {
      throw new SignatureException("verification is not done through the token");
    }

    @Override
    @Deprecated
    protected void engineSetParameter(String param, Object value) {
      throw new InvalidParameterException("no parameters");
    }

    @Override
    @Deprecated
    protected Object engineGetParameter(String param) {
      throw new InvalidParameterException("no parameters");
    }
  }
}
