package org.voxca.ca;

import java.math.BigInteger;
import java.util.Set;

/** {@link CaUpkeep} over the services that own each task. */
final class Upkeep implements CaUpkeep {
  private final CrlWriter crls;
  private final CaCertificateLife life;
  private final TrustState trust;
  private final boolean infraCrl;
  private final CaKeys keys;
  private final java.util.function.BooleanSupplier rollover;
  private final java.util.function.BooleanSupplier rolloverState;

  /**
   * {@code rollover} completes an interrupted rollover step and re-signs the next generation's CRL
   * when due (true when it wrote); {@code rolloverState} re-reads the rollover's stage when another
   * process moved it (true when it did).
   */
  Upkeep(
      CrlWriter crls,
      CaCertificateLife life,
      TrustState trust,
      java.util.function.BooleanSupplier rollover,
      java.util.function.BooleanSupplier rolloverState,
      boolean infraCrl,
      CaKeys keys) {
    this.rollover = rollover;
    this.rolloverState = rolloverState;
    this.keys = keys;
    this.crls = crls;
    this.life = life;
    this.trust = trust;
    this.infraCrl = infraCrl;
  }

  @Override
  public void checkKeys() {
    keys.check();
  }

  @Override
  public String keyProblem() {
    return keys.problem();
  }

  @Override
  public void prepareRevocations() {
    crls.prepare();
  }

  @Override
  public void ensureInfraCrl() {
    crls.ensureInfraCrl(infraCrl);
  }

  @Override
  public void createInfraCrl() {
    crls.createInfraCrl();
  }

  @Override
  public boolean refreshCrl() {
    boolean changed = crls.refreshIfExpiring();
    return rollover.getAsBoolean() | changed;
  }

  @Override
  public boolean warnIfCaExpiring() {
    return life.warnIfExpiring();
  }

  @Override
  public boolean refreshTrust() {
    boolean changed = trust.refreshIfChanged();
    return rolloverState.getAsBoolean() | changed;
  }

  @Override
  public PruneResult pruneCrl(boolean duplicates, boolean expired, Set<BigInteger> serials) {
    return crls.prune(duplicates, expired, serials);
  }
}
