package org.voxca.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OutageCircuitTest {
  private final AtomicInteger attempts = new AtomicInteger();
  private volatile boolean reachable;
  private volatile int pooled;
  private final Connection connection =
      (Connection)
          java.lang.reflect.Proxy.newProxyInstance(
              getClass().getClassLoader(), new Class<?>[] {Connection.class}, (p, m, a) -> null);

  private Connection source() throws SQLException {
    attempts.incrementAndGet();
    if (!reachable) {
      throw new SQLTransientConnectionException("Connection is not available");
    }
    return connection;
  }

  @Test
  void anUnreachableDatabaseIsRefusedAtOnceAndTriedAgainOnceAPeriod() throws Exception {
    OutageCircuit circuit = new OutageCircuit(this::source, () -> pooled, 200_000_000L);
    assertThatThrownBy(circuit::connection).hasMessage("Connection is not available");
    assertThat(attempts).hasValue(1);
    for (int i = 0; i < 50; i++) { // refused without asking the pool
      assertThatThrownBy(circuit::connection)
          .isInstanceOf(SQLTransientConnectionException.class)
          .hasMessageContaining("retried once a second")
          .hasCauseInstanceOf(SQLTransientConnectionException.class);
    }
    assertThat(attempts).hasValue(1);
    Thread.sleep(250);
    assertThatThrownBy(circuit::connection).hasMessage("Connection is not available");
    assertThat(attempts).as("one try after the period").hasValue(2);
    reachable = true;
    assertThatThrownBy(circuit::connection).hasMessageContaining("retried once a second");
    Thread.sleep(250);
    assertThat(circuit.connection()).isSameAs(connection);
    assertThat(circuit.connection())
        .as("closed again: every call asks the pool")
        .isSameAs(connection);
    assertThat(attempts).hasValue(4);
  }

  @Test
  void aBusyPoolIsNotAnOutage() {
    pooled = 4; // connections exist, all in use: the caller waited its turn and gave up
    OutageCircuit circuit = new OutageCircuit(this::source, () -> pooled, 200_000_000L);
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(circuit::connection).hasMessage("Connection is not available");
    }
    assertThat(attempts).as("every caller asks the pool").hasValue(3);
  }
}
