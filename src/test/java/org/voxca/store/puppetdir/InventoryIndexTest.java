package org.voxca.store.puppetdir;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InventoryIndexTest {
  static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

  static InventoryIndex parse(String text) {
    return InventoryIndex.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void everyLiveSerialOfANameIsFoundHoweverManyTheInventoryHolds() {
    InventoryIndex ix =
        parse(
            """
        0x0002 2026-01-01T00:00:00UTC 2031-01-01T00:00:00UTC /CN=a.test
        0x0003 2026-01-01T00:00:00UTC 2031-01-01T00:00:00UTC /CN=b.test
        0x0004 2026-02-01T00:00:00UTC 2027-02-01T00:00:00UTC /CN=a.test
        0x0005 2025-01-01T00:00:00UTC 2026-05-31T23:59:59UTC /CN=a.test
        0x0006 2026-03-01T00:00:00UTC 2027-03-01T00:00:00UTC /CN=a.test
        0x0007 2026-03-01T00:00:00UTC 2027-03-01T00:00:00UTC /O=x/CN=a.test
        torn line
        """);
    assertThat(ix.size()).isEqualTo(6);
    assertThat(ix.liveSerials("/CN=a.test", NOW))
        .as("expired 5 left out, other subjects too")
        .containsExactly(BigInteger.TWO, BigInteger.valueOf(4), BigInteger.valueOf(6));
    ix.add("/CN=a.test", BigInteger.valueOf(8), NOW.plusSeconds(60).getEpochSecond());
    ix.add(
        "/CN=c.test",
        new BigInteger("123456789012345678901234567890"),
        NOW.plusSeconds(60).getEpochSecond());
    assertThat(ix.liveSerials("/CN=a.test", NOW))
        .containsExactly(
            BigInteger.TWO, BigInteger.valueOf(4), BigInteger.valueOf(6), BigInteger.valueOf(8));
    assertThat(ix.liveSerials("/CN=b.test", NOW)).containsExactly(BigInteger.valueOf(3));
    assertThat(ix.liveSerials("/CN=c.test", NOW))
        .containsExactly(new BigInteger("123456789012345678901234567890"));
    assertThat(ix.liveSerials("/O=x/CN=a.test", NOW)).containsExactly(BigInteger.valueOf(7));
    assertThat(ix.notAfter())
        .hasSize(8)
        .containsEntry(BigInteger.valueOf(5), Instant.parse("2026-05-31T23:59:59Z"));
  }

  @Test
  void issuedSerialsAreFoundThroughTheSerialSetAcrossAppendsAndMerges() {
    InventoryIndex ix = parse("0x0002 2026-01-01T00:00:00UTC 2031-01-01T00:00:00UTC /CN=a.test\n");
    assertThat(ix.contains(BigInteger.TWO)).isTrue();
    assertThat(ix.contains(BigInteger.valueOf(3))).isFalse();
    long end = NOW.plusSeconds(60).getEpochSecond();
    for (int i = 3; i < 10_000; i++) { // crosses the batch merge of appended serials twice
      ix.add("/CN=n" + i + ".test", BigInteger.valueOf(i), end);
    }
    BigInteger big = new BigInteger("123456789012345678901234567890");
    ix.add("/CN=big.test", big, end);
    for (int i = 2; i < 10_000; i++) {
      assertThat(ix.contains(BigInteger.valueOf(i))).as("serial %d", i).isTrue();
    }
    assertThat(ix.contains(big)).isTrue();
    assertThat(ix.contains(BigInteger.valueOf(10_000))).isFalse();
    assertThat(ix.contains(BigInteger.valueOf(-2))).isFalse();
  }
}
