package org.voxca.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The CA's next key generation while a rollover is under way: its self-signed certificate, its
 * private key as the store keeps it for the CA (plain PEM, or a token's reference; null when this
 * process has no copy, as a database replica the plain key file was not copied to), when the stage
 * was reached and which. When a two-level CA rolls its root too, the certificate PEM holds the next
 * root's certificate after the next CA's and {@code rootKeyPem} the next root's key (kept as the CA
 * key is; null otherwise, or with no copy here). The record is the rollover's commit point: the CA
 * bundle and CRL chain hold the next generation only while the record exists.
 */
public record NextGeneration(
    String certificatePem, String keyPem, Instant since, Stage stage, String rootKeyPem) {
  /** True when the next generation is in the bundle and CRL chain (not leaving them). */
  public boolean published() {
    return stage == Stage.PREPARED || stage == Stage.ACTIVE;
  }

  public NextGeneration {
    Objects.requireNonNull(certificatePem, "certificatePem == null");
    Objects.requireNonNull(since, "since == null");
    Objects.requireNonNull(stage, "stage == null");
  }

  /** A next generation under the current root (or of a single-level CA). */
  public NextGeneration(String certificatePem, String keyPem, Instant since, Stage stage) {
    this(certificatePem, keyPem, since, stage, null);
  }

  /** Where a rollover stands. */
  public enum Stage {
    /** Both generations are published; the current one still signs everything. */
    PREPARED,
    /** Both generations are published; the next one signs every new certificate and renewal. */
    ACTIVE,
    /** An abort began: the next generation is leaving the bundle and the CRL chain. */
    ABORTING,
    /** A finish began: the next generation is becoming the CA's only one. */
    FINISHING;

    /** The stage as stored: {@code prepared}, {@code aborting}. */
    public String text() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The stage from its stored text; an unknown text is an {@link IllegalStateException}. */
    public static Stage of(String text) {
      for (Stage s : values()) {
        if (s.text().equals(text.trim())) {
          return s;
        }
      }
      throw new IllegalStateException("unknown rollover stage '" + text.trim() + "'");
    }
  }

  /** This record at {@code next} stage, keeping its start. */
  public NextGeneration at(Stage next) {
    return new NextGeneration(certificatePem, keyPem, since, next, rootKeyPem);
  }

  /** This record at {@code next} stage, reached at {@code when}. */
  public NextGeneration at(Stage next, Instant when) {
    return new NextGeneration(certificatePem, keyPem, when, next, rootKeyPem);
  }

  /** The stage, start and certificates; never the keys. */
  @Override
  public String toString() {
    return "NextGeneration["
        + stage.text()
        + " since "
        + since
        + (rootKeyPem != null ? ", root too" : "")
        + "]";
  }

  /** The stage line as stored: {@code <stage> <since>}. */
  public String stageLine() {
    return stage.text() + " " + since + "\n";
  }

  /** The stage and since from a stored stage line. */
  public static NextGeneration parse(
      String certificatePem, String keyPem, String stageLine, String rootKeyPem) {
    String[] parts = stageLine.trim().split("\\s+");
    if (parts.length != 2) {
      throw new IllegalStateException("unreadable rollover stage '" + stageLine.trim() + "'");
    }
    return new NextGeneration(
        certificatePem, keyPem, Instant.parse(parts[1]), Stage.of(parts[0]), rootKeyPem);
  }
}
