package org.voxca.store;

import java.math.BigInteger;
import java.time.Instant;

/** One line of the inventory: a certificate this CA issued (subject as {@code /CN=name}). */
public record InventoryEntry(
    BigInteger serial, Instant notBefore, Instant notAfter, String subject) {}
