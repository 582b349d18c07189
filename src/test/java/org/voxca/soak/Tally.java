package org.voxca.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the well-behaved clients saw: requests and connections made, answers refused or failed (a
 * handful kept as examples), 503s during a planned outage, and every certificate acknowledged.
 */
final class Tally {
  final LongAdder requests = new LongAdder();
  final LongAdder connections = new LongAdder();
  final LongAdder failures = new LongAdder();
  final LongAdder outageAnswers = new LongAdder();
  final LongAdder hostile = new LongAdder();

  /** Certificates issued to the agents (bootstraps and renewals): what the CA's indexes grow by. */
  final LongAdder issued = new LongAdder();

  final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

  /** Set while a planned outage (a database restart) lasts, until a write sent after it works. */
  private final AtomicBoolean outage = new AtomicBoolean();

  private volatile long restartedAt = Long.MAX_VALUE;

  void outageBegins() {
    restartedAt = Long.MAX_VALUE;
    outage.set(true);
  }

  void restarted() {
    restartedAt = System.nanoTime();
  }

  /** A write sent at {@code sentAt} (nanoTime) succeeded: an outage before it is over. */
  void writeSucceeded(long sentAt) {
    if (sentAt > restartedAt) {
      outage.set(false);
    }
  }

  boolean inOutage() {
    return outage.get();
  }

  private final List<String> examples = new ArrayList<>();

  /** A well-behaved request that did not get what it should: counted, and an example kept. */
  void failed(String what) {
    failures.increment();
    synchronized (examples) {
      if (examples.size() < 10) {
        examples.add(what);
      }
    }
  }

  List<String> examples() {
    synchronized (examples) {
      return List.copyOf(examples);
    }
  }
}
