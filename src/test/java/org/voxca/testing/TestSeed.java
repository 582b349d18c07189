package org.voxca.testing;

import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The one seed of a test run's random choices: {@code -Dvoxca.seed=N} replays a run, otherwise a
 * fresh seed is drawn. A class using it ({@code @ExtendWith(TestSeed.class)}) prints the seed when
 * it starts and again, with the line to replay it, when a test fails.
 */
public final class TestSeed implements BeforeAllCallback, TestWatcher {
  private static final long SEED = Long.getLong("voxca.seed", new SecureRandom().nextLong());

  public static long value() {
    return SEED;
  }

  /** An independent stream of this run's choices (one per thread, so threads do not share). */
  public static Random random(long stream) {
    return new Random(SEED ^ (stream * 0x9E3779B97F4A7C15L));
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    System.out.printf("[seed] %s uses -Dvoxca.seed=%d%n", context.getDisplayName(), SEED);
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    System.err.printf(
        "[seed] %s failed; replay its random choices with -Dvoxca.seed=%d%n",
        context.getDisplayName(), SEED);
  }
}
