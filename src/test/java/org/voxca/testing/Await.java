package org.voxca.testing;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Waits on a condition instead of a fixed sleep: returns as soon as it holds, fails at the
 * deadline.
 */
public final class Await {
  private Await() {}

  /**
   * Polls {@code condition} every 50 ms; an {@link AssertionError} naming {@code what} at timeout.
   */
  public static void until(Duration timeout, String what, Callable<Boolean> condition)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + what);
      }
      Thread.sleep(50);
    }
  }
}
