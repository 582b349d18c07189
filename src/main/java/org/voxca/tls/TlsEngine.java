package org.voxca.tls;

import java.security.Provider;
import java.security.Security;
import javax.net.ssl.SSLEngine;
import org.conscrypt.Conscrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which TLS implementation serves HTTPS ({@code voxca.tls.engine}): BoringSSL through Conscrypt (a
 * JSSE provider whose native library ships inside its jar) or the JDK's own. {@code auto} takes
 * BoringSSL where its library loads and the JDK's elsewhere, with a WARN; {@code native} refuses to
 * start without BoringSSL; {@code jdk} never loads it. Only the HTTPS listener uses the provider:
 * it is registered last, so no other algorithm lookup in the process changes.
 */
public final class TlsEngine {
  private static final Logger LOG = LoggerFactory.getLogger(TlsEngine.class);
  private static volatile Provider provider; // set once, under TlsEngine.class
  private static Throwable unavailable; // guarded by TlsEngine.class

  private TlsEngine() {}

  /**
   * The JSSE provider's name for {@code engine} ({@code auto}, {@code native} or {@code jdk}), or
   * null for the JDK's; throws when {@code native} cannot be had.
   */
  public static String select(String engine) {
    if (engine.equals("jdk")) {
      LOG.info("TLS engine: the JDK's (voxca.tls.engine = jdk)");
      return null;
    }
    Provider p = boringSsl();
    if (p != null) {
      Conscrypt.Version v = Conscrypt.version();
      LOG.info("TLS engine: BoringSSL (Conscrypt {}.{}.{})", v.major(), v.minor(), v.patch());
      return p.getName();
    }
    String why = unavailable == null ? "unknown" : unavailable.toString();
    if (engine.equals("native")) {
      throw new IllegalStateException(
          "voxca.tls.engine = native, but BoringSSL cannot be loaded here: " + why);
    }
    LOG.warn("TLS engine: the JDK's, since BoringSSL cannot be loaded here ({})", why);
    return null;
  }

  private static final PooledDirectBuffers BUFFERS = new PooledDirectBuffers();

  /**
   * A BoringSSL engine as voxca runs it: session tickets on, and the shared pool for the direct
   * buffers it copies heap data through. A JDK engine is left as it is.
   */
  static void configure(SSLEngine engine) {
    if (provider != null && Conscrypt.isConscrypt(engine)) {
      Conscrypt.setUseSessionTickets(engine, true);
      Conscrypt.setBufferAllocator(engine, BUFFERS);
    }
  }

  /** True when the native engine loads in this process (tests choose their engines by it). */
  public static boolean nativeAvailable() {
    return boringSsl() != null;
  }

  private static synchronized Provider boringSsl() {
    if (provider == null && unavailable == null) {
      try {
        Conscrypt.checkAvailability();
        Provider p = Conscrypt.newProvider();
        Provider registered = Security.getProvider(p.getName());
        if (registered == null) {
          Security.addProvider(p);
          registered = p;
        }
        provider = registered;
      } catch (Throwable e) { // UnsatisfiedLinkError and its kin: a library that cannot load
        unavailable = e;
      }
    }
    return provider;
  }
}
