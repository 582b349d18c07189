package org.voxca.server.assembly;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.voxca.store.InventoryEntry;
import org.voxca.store.Transferable;

/**
 * Copies a whole CA from one store to another — a Puppet CA directory into a database, or back —
 * and checks the copy: inventory, certificates and CSRs first, the CA documents and serial counter
 * last (the CA bundle marks the destination complete, so an interrupted copy is never taken for a
 * CA), then every count read back from the destination. Refuses a destination that holds a CA.
 */
public final class StoreCopy {
  private static final int BATCH = 1000;

  private StoreCopy() {}

  /** What was copied (and found again in the destination). */
  public record Counts(long inventory, long certificates, long csrs) {}

  public static Counts copy(Transferable from, Transferable to) {
    if (!to.holdsNoCa()) {
      throw new IllegalStateException("the destination already holds a CA; it must be empty");
    }
    Transferable.Snapshot snapshot = from.snapshot();
    List<InventoryEntry> batch = new ArrayList<>();
    AtomicLong inventory = new AtomicLong();
    from.eachInventoryEntry(
        e -> {
          batch.add(e);
          inventory.incrementAndGet();
          if (batch.size() == BATCH) {
            to.restoreInventory(List.copyOf(batch));
            batch.clear();
          }
        });
    if (!batch.isEmpty()) {
      to.restoreInventory(List.copyOf(batch));
    }
    AtomicLong certs = new AtomicLong();
    List<Map.Entry<String, byte[]>> certBatch = new ArrayList<>();
    from.eachCertificatePem(
        (name, pem) -> {
          certBatch.add(Map.entry(name, pem));
          certs.incrementAndGet();
          if (certBatch.size() == BATCH) {
            to.restoreCertificates(List.copyOf(certBatch));
            certBatch.clear();
          }
        });
    if (!certBatch.isEmpty()) {
      to.restoreCertificates(List.copyOf(certBatch));
    }
    AtomicLong csrs = new AtomicLong();
    from.eachCsr(
        (name, pem) -> {
          to.restoreCsr(name, pem);
          csrs.incrementAndGet();
        });
    to.restore(snapshot);
    Counts copied = new Counts(inventory.get(), certs.get(), csrs.get());
    Counts found = count(to);
    if (!found.equals(copied)) {
      throw new IllegalStateException("copied " + copied + " but the destination holds " + found);
    }
    return copied;
  }

  static Counts count(Transferable t) {
    AtomicLong inventory = new AtomicLong();
    AtomicLong certs = new AtomicLong();
    AtomicLong csrs = new AtomicLong();
    t.eachInventoryEntry(e -> inventory.incrementAndGet());
    t.eachCertificatePem((n, p) -> certs.incrementAndGet());
    t.eachCsr((n, p) -> csrs.incrementAndGet());
    return new Counts(inventory.get(), certs.get(), csrs.get());
  }
}
