package org.voxca.ca;

import java.time.Duration;

/**
 * An OCSP answer: the DER of the response, whether a shared HTTP cache may keep it (not when it
 * echoes a nonce or is an error status), and for how long.
 */
public record OcspReply(byte[] der, boolean shareable, Duration maxAge) {}
