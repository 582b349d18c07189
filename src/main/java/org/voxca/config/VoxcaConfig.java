package org.voxca.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Every setting voxca runs with, resolved, validated and frozen at start-up. */
public record VoxcaConfig(
    String host,
    int port,
    String certname,
    Path confdir,
    Path cadir,
    Path cacert,
    Path cakey,
    Path capub,
    Path cacrl,
    Path csrdir,
    Path signeddir,
    Path serial,
    Path inventory,
    Path ssldir,
    Path hostcert,
    Path hostprivkey,
    Path hostpubkey,
    Path localcacert,
    Path hostcrl,
    String caName,
    Duration caTtl,
    int keyLength,
    List<String> dnsAltNames,
    String autosign,
    Duration autosignTimeout,
    int autosignMaxConcurrent,
    boolean allowDuplicateCerts,
    boolean allowSubjectAltNames,
    boolean allowAuthorizationExtensions,
    boolean allowAutoRenewal,
    Duration autoRenewalCertTtl,
    boolean enableInfraCrl,
    boolean allowHeaderCertInfo,
    long maxBodyBytes,
    java.util.List<java.util.Map<String, Object>> authRules,
    java.util.Map<String, String> trustedOidShortNames,
    boolean randomSerials) {}
