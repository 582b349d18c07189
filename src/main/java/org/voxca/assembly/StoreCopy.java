package org.voxca.assembly;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.voxca.store.CaStore;
import org.voxca.store.EnrolmentRecords;
import org.voxca.store.EnrolmentToken;
import org.voxca.store.StoreCapabilities;
import org.voxca.store.StoreContent;

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
  public record Counts(long inventory, long certificates, long csrs, long tokens) {
    /** "N inventory entries, N certificates, N pending CSRs, N enrolment tokens". */
    public String summary() {
      return inventory
          + " inventory entries, "
          + certificates
          + " certificates, "
          + csrs
          + " pending CSRs, "
          + tokens
          + " enrolment tokens";
    }
  }

  /** Copies {@code source} into {@code destination}; both must be {@code Transferable}. */
  public static Counts copy(CaStore source, CaStore destination) {
    source
        .documents()
        .nextGeneration()
        .ifPresent(
            n -> {
              throw new IllegalStateException(
                  "A CA key rollover is "
                      + n.stage().text()
                      + ": finish or abort it (voxca ca rollover) before moving the CA");
            });
    Counts c = copy(content(source), content(destination));
    return new Counts(
        c.inventory(), c.certificates(), c.csrs(), copyEnrolment(source, destination));
  }

  /**
   * Enrolment tokens (their uses and revocations as they stand) and one-time claims, so no token
   * signs again after a move; why CSRs were pending is not copied (it is said again on the next
   * submission). The number of tokens.
   */
  private static long copyEnrolment(CaStore source, CaStore destination) {
    EnrolmentRecords from = source.enrolment();
    EnrolmentRecords to = destination.enrolment();
    List<EnrolmentToken> tokens = from.tokens();
    tokens.forEach(to::addToken);
    from.claims().forEach(to::claimOnce);
    return tokens.size();
  }

  private static StoreContent content(CaStore store) {
    return StoreCapabilities.of(store)
        .transferable()
        .orElseThrow(
            () -> new IllegalStateException(store.location() + " cannot be copied from or to"))
        .content();
  }

  static Counts copy(StoreContent from, StoreContent to) {
    if (!to.holdsNoCa()) {
      throw new IllegalStateException("the destination already holds a CA; it must be empty");
    }
    StoreContent.Snapshot snapshot = from.snapshot();
    long inventory = inBatches(from::eachInventoryEntry, to::restoreInventory);
    long certs =
        inBatches(
            sink -> from.eachCertificatePem((name, pem) -> sink.accept(Map.entry(name, pem))),
            to::restoreCertificates);
    AtomicLong csrs = new AtomicLong();
    from.eachCsr(
        (name, pem) -> {
          to.restoreCsr(name, pem);
          csrs.incrementAndGet();
        });
    to.restore(snapshot);
    Counts copied = new Counts(inventory, certs, csrs.get(), 0);
    Counts found = count(to);
    if (!found.equals(copied)) {
      throw new IllegalStateException("copied " + copied + " but the destination holds " + found);
    }
    return copied;
  }

  /** Hands what {@code source} yields to {@code sink} in lists of {@link #BATCH}; the count. */
  private static <T> long inBatches(Consumer<Consumer<T>> source, Consumer<List<T>> sink) {
    List<T> batch = new ArrayList<>();
    AtomicLong n = new AtomicLong();
    source.accept(
        item -> {
          batch.add(item);
          n.incrementAndGet();
          if (batch.size() == BATCH) {
            sink.accept(List.copyOf(batch));
            batch.clear();
          }
        });
    if (!batch.isEmpty()) {
      sink.accept(List.copyOf(batch));
    }
    return n.get();
  }

  static Counts count(StoreContent t) {
    AtomicLong inventory = new AtomicLong();
    AtomicLong certs = new AtomicLong();
    AtomicLong csrs = new AtomicLong();
    t.eachInventoryEntry(e -> inventory.incrementAndGet());
    t.eachCertificatePem((n, p) -> certs.incrementAndGet());
    t.eachCsr((n, p) -> csrs.incrementAndGet());
    return new Counts(inventory.get(), certs.get(), csrs.get(), 0);
  }
}
