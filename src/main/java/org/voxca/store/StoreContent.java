package org.voxca.store;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A store whose whole content can be read out and written into another, byte for byte where the
 * formats are the same (Puppet's): what {@code voxca ca migrate --to-store} and {@code voxca ca
 * export} move between a CA directory and a database. The CA's private keys are not part of it:
 * they stay in (or are copied between) cadirs.
 */
public interface StoreContent {

  /** The CA's documents and counters. */
  record Snapshot(
      byte[] bundle,
      byte[] publicKey,
      byte[] crlChain,
      byte[] infraCrlChain,
      BigInteger nextSerial,
      List<String> infraNodes) {}

  Snapshot snapshot();

  /** Every inventory entry, in issue order. */
  void eachInventoryEntry(Consumer<InventoryEntry> sink);

  /** Every pending CSR as stored. */
  void eachCsr(BiConsumer<String, byte[]> sink);

  /** Every name's current certificate as stored (PEM). */
  void eachCertificatePem(BiConsumer<String, byte[]> sink);

  /** True when this store holds no CA (nothing would be overwritten). */
  boolean holdsNoCa();

  /** Writes the documents and counters; the CA bundle last, as it marks a complete CA. */
  void restore(Snapshot s);

  /** Appends inventory entries, in the order given. */
  void restoreInventory(List<InventoryEntry> entries);

  /** Writes names' current certificates (name to PEM), without inventory entries. */
  void restoreCertificates(List<Map.Entry<String, byte[]>> certificates);

  void restoreCsr(String name, byte[] pem);
}
