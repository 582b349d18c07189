package org.voxca.server;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.ca.LogSafe;
import org.voxca.files.AtomicFiles;
import org.voxca.http.CaRouter;

/**
 * The access log, one line per request in Puppet Server's common-log shape: client address, client
 * certname ({@code -} when anonymous), time, request line, status, bytes sent, duration in
 * milliseconds. To a file (appended) or to the {@code voxca.access} logger ({@code stdout}). Never
 * a request body, a header value or anything private.
 */
final class AccessLog implements RequestLog {
  private static final Logger ACCESS = LoggerFactory.getLogger("voxca.access");
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
  private final BufferedWriter file;

  private AccessLog(BufferedWriter file) {
    this.file = file;
  }

  /** {@code stdout} (the logger), a file path, or null/empty for no access log. */
  static AccessLog of(String target) {
    if (target == null || target.isBlank()) {
      return null;
    }
    if (target.equals("stdout")) {
      return new AccessLog(null);
    }
    try {
      Path p = Path.of(target).toAbsolutePath();
      AtomicFiles.logFile(p);
      return new AccessLog(
          Files.newBufferedWriter(
              p, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the access log " + target, e);
    }
  }

  @Override
  public void log(Request request, Response response) {
    Object certname = request.getAttribute(CaRouter.CERTNAME_ATTRIBUTE);
    String query = request.getHttpURI().getQuery();
    // the certname may come from an X-Client-DN header, the path from raw bytes: escaped
    String line =
        LogSafe.escape(
            Request.getRemoteAddr(request)
                + " - "
                + (certname == null ? "-" : certname)
                + " ["
                + TIME.format(Instant.now())
                + "] \""
                + request.getMethod()
                + " "
                + request.getHttpURI().getPath()
                + (query == null ? "" : "?" + query)
                + " "
                + request.getConnectionMetaData().getProtocol()
                + "\" "
                + response.getStatus()
                + " "
                + Response.getContentBytesWritten(response)
                + " "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - request.getBeginNanoTime()));
    if (file == null) {
      ACCESS.info(line);
      return;
    }
    synchronized (this) {
      try {
        file.write(line);
        file.newLine();
        file.flush();
      } catch (IOException e) {
        LoggerFactory.getLogger(AccessLog.class).warn("access log: {}", e.toString());
      }
    }
  }
}
