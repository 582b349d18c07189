package org.voxca.ca;

/**
 * Who asks for the change the current thread makes: the client certname of an HTTP request, the
 * offline CLI's OS user, {@code autosign} for a submission signed by policy, or {@code voxca} for
 * the server's own scheduled work. Set by the edge that received the request, read by {@link
 * Events}.
 */
public final class Actor {
  /** The actor of work no request asked for: CRL refreshes, the CA's own start-up. */
  public static final String SERVER = "voxca";

  public static final String AUTOSIGN = "autosign";

  private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

  private Actor() {}

  /** Until the returned scope closes, this thread works on behalf of {@code actor}. */
  public static Scope enter(String actor) {
    String before = CURRENT.get();
    CURRENT.set(actor);
    return () -> {
      if (before == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(before);
      }
    };
  }

  public static String current() {
    String a = CURRENT.get();
    return a == null ? SERVER : a;
  }

  /** Restores the previous actor. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
