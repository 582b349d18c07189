package org.voxca.ca;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;

/** Told whenever the CA bundle or CRL chain changes, so TLS can trust the new state at once. */
@FunctionalInterface
public interface CrlListener {
  void trustChanged(List<X509Certificate> caBundle, List<X509CRL> crls);
}
