package org.voxca.server.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.voxca.ca.LogSafe;

/**
 * Logback's {@code %msg} with {@link LogSafe} applied: a message that carries a request's path, a
 * name or a header value can never start a forged line or hide text. voxca's logback.xml uses it as
 * {@code %safeMsg}; a custom logback configuration should too.
 */
public final class SafeMessageConverter extends MessageConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return LogSafe.escape(super.convert(event));
  }
}
