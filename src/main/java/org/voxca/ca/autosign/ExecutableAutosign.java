package org.voxca.ca.autosign;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A policy executable: run as {@code <path> <certname>} with the CSR PEM on stdin; exit 0 signs.
 * Unlike Puppet Server it has a timeout (the process is killed and the CSR stays pending) and a cap
 * on how many run at once.
 */
final class ExecutableAutosign implements AutosignPolicy {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutableAutosign.class);
  private static final int MAX_OUTPUT = 64 * 1024;
  private final Path path;
  private final Duration timeout;
  private final Semaphore slots;

  ExecutableAutosign(Path path, Duration timeout, int maxConcurrent) {
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("maxConcurrent < 1: " + maxConcurrent);
    }
    this.path = path;
    this.timeout = timeout;
    this.slots = new Semaphore(maxConcurrent, true);
  }

  @Override
  public AutosignDecision decide(String certname, byte[] csrPem) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (!slots.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        LOG.warn("Autosign command '{}' not run for '{}': too many running", path, certname);
        return AutosignDecision.pending("policy executable " + path + " not run: too many running");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return AutosignDecision.pending("policy executable " + path + " interrupted");
    }
    try {
      return run(certname, csrPem, deadline);
    } finally {
      slots.release();
    }
  }

  private AutosignDecision run(String certname, byte[] csrPem, long deadline) {
    Process p;
    try {
      p = new ProcessBuilder(path.toString(), certname).start();
    } catch (IOException e) {
      LOG.warn("Autosign command '{}' could not start: {}", path, e.toString());
      return AutosignDecision.pending("policy executable " + path + " could not start");
    }
    StringBuffer stdout = new StringBuffer();
    StringBuffer stderr = new StringBuffer();
    Thread out = drain(p.getInputStream(), "stdout", certname, stdout);
    Thread err = drain(p.getErrorStream(), "stderr", certname, stderr);
    try (OutputStream in = p.getOutputStream()) {
      in.write(csrPem);
    } catch (IOException e) {
      // the executable may exit without reading stdin; its exit code still decides
    }
    try {
      long left = deadline - System.nanoTime();
      if (!p.waitFor(Math.max(left, 0), TimeUnit.NANOSECONDS)) {
        p.destroyForcibly();
        LOG.warn(
            "Autosign command '{}' timed out after {} s for '{}'; not signed",
            path,
            timeout.toSeconds(),
            certname);
        return AutosignDecision.pending(
            "policy executable " + path + " timed out after " + timeout.toSeconds() + " s");
      }
      out.join(1000);
      err.join(1000);
      int code = p.exitValue();
      String said = firstLine(stdout.length() > 0 ? stdout : stderr);
      if (code != 0) {
        LOG.warn(
            "Autosign command '{}' rejected certificate '{}' because the exit code was {}, not zero",
            path,
            certname,
            code);
        return AutosignDecision.pending("policy executable " + path + " exited " + code + said);
      }
      return AutosignDecision.signed("policy executable " + path + " exited 0" + said);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return AutosignDecision.pending("policy executable " + path + " interrupted");
    }
  }

  /** {@code ": <first line>"} of what the executable printed (at most 200 characters), or "". */
  private static String firstLine(CharSequence printed) {
    String text = printed.toString().strip();
    if (text.isEmpty()) {
      return "";
    }
    String line = text.lines().findFirst().orElse("").strip();
    line = line.length() > 200 ? line.substring(0, 200) + "…" : line;
    StringBuilder safe = new StringBuilder(line.length());
    line.codePoints()
        .map(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? '?' : c)
        .forEach(safe::appendCodePoint);
    return ": " + safe;
  }

  private Thread drain(InputStream s, String which, String certname, StringBuffer text) {
    Thread t =
        new Thread(
            () -> {
              ByteArrayOutputStream buf = new ByteArrayOutputStream();
              byte[] chunk = new byte[4096];
              try (s) {
                int n;
                while ((n = s.read(chunk)) > 0) {
                  if (buf.size() < MAX_OUTPUT) {
                    buf.write(chunk, 0, Math.min(n, MAX_OUTPUT - buf.size()));
                  }
                }
              } catch (IOException ignored) {
                // process gone
              }
              String printed = buf.toString(StandardCharsets.UTF_8).trim();
              text.append(printed);
              if (!printed.isEmpty()) {
                if (which.equals("stderr")) {
                  LOG.warn("Autosign command '{}' generated output to stderr: {}", path, printed);
                } else {
                  LOG.debug("Autosign command '{}' for '{}' printed: {}", path, certname, printed);
                }
              }
            },
            "autosign-" + which);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
