package org.voxca.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.conscrypt.AllocatedBuffer;
import org.junit.jupiter.api.Test;

/** The shared direct buffers: reused once released, released once, and never more kept than 64. */
class PooledDirectBuffersTest {
  @Test
  void aReleasedBufferIsReusedEmptyAndAReleaseCountsOnce() {
    PooledDirectBuffers pool = new PooledDirectBuffers();
    AllocatedBuffer a = pool.allocateDirectBuffer(100);
    assertThat(a.nioBuffer().isDirect()).isTrue();
    assertThat(a.nioBuffer().remaining()).isGreaterThanOrEqualTo(100);
    a.nioBuffer().put(new byte[50]);
    a.release();
    a.release();
    assertThat(pool.idle()).isEqualTo(1);
    AllocatedBuffer b = pool.allocateDirectBuffer(PooledDirectBuffers.SIZE);
    assertThat(b.nioBuffer()).isSameAs(a.nioBuffer());
    assertThat(b.nioBuffer().position()).isZero();
    assertThat(b.nioBuffer().remaining()).isEqualTo(PooledDirectBuffers.SIZE);
    assertThat(pool.idle()).isZero();
  }

  @Test
  void thePoolKeepsAtMost64AndOversizedBuffersNone() {
    PooledDirectBuffers pool = new PooledDirectBuffers();
    List<AllocatedBuffer> taken = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      taken.add(pool.allocateDirectBuffer(16_384));
    }
    taken.forEach(AllocatedBuffer::release);
    assertThat(pool.idle()).isEqualTo(PooledDirectBuffers.KEPT);
    AllocatedBuffer big = pool.allocateDirectBuffer(PooledDirectBuffers.SIZE + 1);
    assertThat(big.nioBuffer().capacity()).isEqualTo(PooledDirectBuffers.SIZE + 1);
    assertThat(pool.idle()).isEqualTo(PooledDirectBuffers.KEPT);
  }
}
