package org.voxca.tls;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import org.conscrypt.AllocatedBuffer;
import org.conscrypt.BufferAllocator;

/**
 * Direct buffers for BoringSSL's engine (Conscrypt) to copy heap data through, shared by every
 * connection: Conscrypt takes one for the length of a single wrap or unwrap, so a few dozen serve
 * any number of connections, where by default each connection's engine keeps a 16 KiB direct buffer
 * of its own for as long as it lives. At most {@link #KEPT} idle buffers are kept.
 */
final class PooledDirectBuffers extends BufferAllocator {
  /** The largest TLS record with its overhead (SSL3_RT_MAX_PACKET_SIZE). */
  static final int SIZE = 16709;

  static final int KEPT = 64;

  private final ArrayBlockingQueue<ByteBuffer> idle = new ArrayBlockingQueue<>(KEPT);

  @Override
  public AllocatedBuffer allocateDirectBuffer(int capacity) {
    if (capacity > SIZE) {
      return AllocatedBuffer.wrap(ByteBuffer.allocateDirect(capacity));
    }
    ByteBuffer b = idle.poll();
    ByteBuffer buffer = b == null ? ByteBuffer.allocateDirect(SIZE) : b.clear();
    return new AllocatedBuffer() {
      private boolean released;

      @Override
      public ByteBuffer nioBuffer() {
        return buffer;
      }

      @Override
      public AllocatedBuffer release() {
        if (!released) {
          released = true;
          idle.offer(buffer); // dropped, to the collector, when KEPT are idle already
        }
        return this;
      }
    };
  }

  /** Buffers idle in the pool now. */
  int idle() {
    return idle.size();
  }
}
