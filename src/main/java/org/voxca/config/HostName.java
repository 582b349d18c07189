package org.voxca.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * This host's fully qualified name as Puppet computes its default {@code certname} (Facter's {@code
 * networking.fqdn}): the kernel's host name; when it has no domain, the domain of the canonical
 * name {@code /etc/hosts} gives it, else {@code domain} (or the first {@code search}) of {@code
 * /etc/resolv.conf}, else a reverse look-up that extends the name. Never {@code localhost} for a
 * host that has a name of its own. Lower case, no trailing dot.
 */
final class HostName {
  private HostName() {}

  /** This machine's name, read from the system. */
  static String fqdn() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = System.getenv().getOrDefault("HOSTNAME", "localhost");
    }
    return fqdn(
        host, lines(Path.of("/etc/hosts")), lines(Path.of("/etc/resolv.conf")), HostName::reverse);
  }

  /**
   * The rule itself, on given inputs: {@code host} as the kernel names it, the lines of {@code
   * /etc/hosts} and {@code /etc/resolv.conf}, and a reverse look-up of a name (or null).
   */
  static String fqdn(
      String host, List<String> hosts, List<String> resolv, UnaryOperator<String> reverse) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.isEmpty()) {
      return "localhost";
    }
    if (h.contains(".")) {
      return h;
    }
    String prefix = h + ".";
    for (String line : hosts) {
      String[] f = fields(line); // address, canonical name, aliases
      if (f.length >= 2
          && List.of(f).subList(1, f.length).contains(h)
          && f[1].toLowerCase(Locale.ROOT).startsWith(prefix)) {
        return trimDot(f[1].toLowerCase(Locale.ROOT));
      }
    }
    String domain = null;
    String search = null;
    for (String line : resolv) {
      String[] f = fields(line);
      if (f.length >= 2 && f[0].equals("domain")) {
        domain = f[1];
      } else if (f.length >= 2 && f[0].equals("search") && search == null) {
        search = f[1];
      }
    }
    String d = domain != null ? domain : search;
    if (d != null && !d.equals(".")) {
      return prefix + trimDot(d.toLowerCase(Locale.ROOT));
    }
    String canonical = reverse.apply(h);
    if (canonical != null && canonical.toLowerCase(Locale.ROOT).startsWith(prefix)) {
      return trimDot(canonical.toLowerCase(Locale.ROOT));
    }
    return h;
  }

  private static String trimDot(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private static String[] fields(String line) {
    int hash = line.indexOf('#');
    String s = (hash >= 0 ? line.substring(0, hash) : line).strip();
    return s.isEmpty() ? new String[0] : s.split("\\s+");
  }

  private static List<String> lines(Path p) {
    try {
      return Files.isReadable(p) ? Files.readAllLines(p) : List.of();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  private static String reverse(String host) {
    try {
      return InetAddress.getByName(host).getCanonicalHostName();
    } catch (IOException e) {
      return null;
    }
  }
}
