package org.voxca.ca;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every registered {@link CaEvent.Listener} about a change, after it is durable. A listener
 * that throws is logged and never undoes or fails the change it was told about.
 */
final class Events implements EventSink {
  private static final Logger LOG = LoggerFactory.getLogger(Events.class);
  private final List<CaEvent.Listener> listeners = new CopyOnWriteArrayList<>();
  private final Clock clock;

  Events(Clock clock) {
    this.clock = clock;
  }

  void add(CaEvent.Listener l) {
    listeners.add(l);
  }

  @Override
  public void emit(
      CaEvent.Kind kind, String target, Collection<BigInteger> serials, String outcome) {
    emit(kind, Actor.current(), target, serials, outcome, null);
  }

  @Override
  public void emit(
      CaEvent.Kind kind,
      String actor,
      String target,
      Collection<BigInteger> serials,
      String outcome,
      Duration signTime) {
    if (listeners.isEmpty()) {
      return;
    }
    CaEvent e =
        new CaEvent(clock.instant(), kind, actor, target, List.copyOf(serials), outcome, signTime);
    for (CaEvent.Listener l : listeners) {
      try {
        l.on(e);
      } catch (RuntimeException ex) {
        LOG.error("Could not record the {} event of {}: {}", kind.label(), target, ex.toString());
      }
    }
  }
}
