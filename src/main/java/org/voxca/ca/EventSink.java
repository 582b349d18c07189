package org.voxca.ca;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Collection;

/**
 * Where a service tells of a change it made, after it is durable: each service emits the events of
 * its own operations ({@link Events} hands them to the registered {@link CaEvent.Listener}s).
 */
interface EventSink {

  /** A change by the current actor ({@link Actor#current()}). */
  void emit(CaEvent.Kind kind, String target, Collection<BigInteger> serials, String outcome);

  /** A change by {@code actor}, with the time signing took (null when nothing was signed). */
  void emit(
      CaEvent.Kind kind,
      String actor,
      String target,
      Collection<BigInteger> serials,
      String outcome,
      Duration signTime);
}
