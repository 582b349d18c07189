package org.voxca.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body without holding a thread while the client is slow: each chunk is taken when
 * Jetty has one, and the reader waits for the next by {@code demand}, so hundreds of clients
 * trickling bodies cost memory, not threads. Keeps at most {@code max} bytes; beyond that it keeps
 * reading and discarding up to {@code drainLimit} bytes so that the 413 reaches a client that is
 * still sending, then gives up.
 */
final class BodyReader implements Runnable {
  /** A body: its bytes, or a note that it was larger than allowed (and whether it was drained). */
  record Body(byte[] bytes, boolean tooLarge, boolean drained) {}

  private final Request request;
  private final long max;
  private final long drainLimit;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private final CompletableFuture<Body> result = new CompletableFuture<>();
  private long total;

  private BodyReader(Request request, long max, long drainLimit) {
    this.request = request;
    this.max = max;
    this.drainLimit = drainLimit;
  }

  static CompletableFuture<Body> read(Request request, long max, long drainLimit) {
    BodyReader r = new BodyReader(request, max, drainLimit);
    r.run();
    return r.result;
  }

  @Override
  public void run() {
    while (!result.isDone()) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        request.demand(this);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        result.completeExceptionally(chunk.getFailure());
        return;
      }
      ByteBuffer b = chunk.getByteBuffer();
      int n = b.remaining();
      if (total + n <= max) {
        byte[] copy = new byte[n];
        b.get(copy);
        kept.writeBytes(copy);
      }
      total += n;
      boolean last = chunk.isLast();
      chunk.release();
      if (total > drainLimit) {
        result.complete(new Body(null, true, false));
      } else if (last) {
        result.complete(
            total > max ? new Body(null, true, true) : new Body(kept.toByteArray(), false, true));
      }
    }
  }
}
