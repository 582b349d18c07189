package org.voxca.store;

/**
 * The CA's own files as PEM text: certificate bundle (signing CA first), private key, CRL chain
 * (own CRL first). What a store hands the CA at start, and what a fresh CA writes once.
 */
public record CaMaterial(
    String certBundlePem, String privateKeyPem, String publicKeyPem, String crlChainPem) {}
