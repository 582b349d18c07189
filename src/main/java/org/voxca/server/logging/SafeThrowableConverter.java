package org.voxca.server.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import org.voxca.ca.LogSafe;

/**
 * Logback's {@code %ex} with {@link LogSafe} applied line by line: an exception message quoting
 * request data cannot forge lines either, while the stack trace keeps its own line breaks.
 */
public final class SafeThrowableConverter extends ThrowableProxyConverter {
  @Override
  protected String throwableProxyToString(IThrowableProxy tp) {
    return LogSafe.escapeLines(super.throwableProxyToString(tp));
  }
}
