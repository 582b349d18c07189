package org.voxca.store.index;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.voxca.store.CertificateRecord;

/**
 * Every signed certificate's {@link CertificateRecord}, by name in name order. Filled by a scan (of
 * {@code signed/}, or of the database's certificates) that may run while the CA already signs: a
 * name written or deleted during the scan keeps the live write, never the scan's older reading.
 * Readers iterate without locks.
 */
public final class CertIndex {
  private final ConcurrentSkipListMap<String, CertificateRecord> byName =
      new ConcurrentSkipListMap<>();
  private final Set<String> touchedDuringScan = ConcurrentHashMap.newKeySet();
  private boolean scanning;

  public synchronized void beginScan() {
    scanning = true;
    touchedDuringScan.clear();
  }

  public synchronized void endScan() {
    scanning = false;
    touchedDuringScan.clear();
  }

  /**
   * Records read by the scan, in name order (cheapest for the skip list): each kept unless its name
   * was written or deleted since the scan began.
   */
  public synchronized void scannedAll(List<CertificateRecord> records) {
    for (CertificateRecord r : records) {
      if (!touchedDuringScan.contains(r.name())) {
        byName.put(r.name(), r);
      }
    }
  }

  /** A name the scan found gone: dropped unless written since the scan began. */
  public synchronized void scannedMissing(String name) {
    if (!touchedDuringScan.contains(name)) {
      byName.remove(name);
    }
  }

  public synchronized void put(CertificateRecord r) {
    byName.put(r.name(), r);
    if (scanning) {
      touchedDuringScan.add(r.name());
    }
  }

  public synchronized void remove(String name) {
    byName.remove(name);
    if (scanning) {
      touchedDuringScan.add(name);
    }
  }

  public CertificateRecord get(String name) {
    return byName.get(name);
  }

  public Set<String> names() {
    return byName.keySet();
  }

  public void each(Predicate<String> name, Consumer<CertificateRecord> sink) {
    for (CertificateRecord r : byName.values()) {
      if (name.test(r.name())) {
        sink.accept(r);
      }
    }
  }

  public int size() {
    return byName.size();
  }
}
