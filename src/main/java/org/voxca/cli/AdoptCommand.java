package org.voxca.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.voxca.assembly.CaAssembly;
import org.voxca.assembly.StoreCopy;
import org.voxca.files.AtomicFiles;
import org.voxca.pki.Certificates;
import org.voxca.store.CaStore;
import org.voxca.store.CheckReport;
import org.voxca.store.StoreCapabilities;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code voxca ca adopt [--from DIR]} (offline): takes over a Puppet Server CA directory — Puppet's
 * packages ({@code /etc/puppetlabs/puppetserver/ca}), Debian's ({@code
 * /etc/puppet/puppetserver/ca}) or the legacy {@code $ssldir/ca} — into the configured store, makes
 * it the service user's (run as root), moves aside a host certificate an earlier CA signed, checks
 * the result, and says what it did at each step.
 */
@Command(
    name = "adopt",
    mixinStandardHelpOptions = true,
    description = "Take over a Puppet Server CA directory (offline).")
final class AdoptCommand implements Callable<Integer> {
  static final List<Path> PUPPET_LAYOUTS =
      List.of(
          Path.of("/etc/puppetlabs/puppetserver/ca"),
          Path.of("/etc/puppet/puppetserver/ca"),
          Path.of("/etc/puppetlabs/puppet/ssl/ca"));

  @Mixin CliOptions options;

  @Option(
      names = "--from",
      description =
          "The Puppet Server CA directory (default: the first of /etc/puppetlabs/puppetserver/ca,"
              + " /etc/puppet/puppetserver/ca, /etc/puppetlabs/puppet/ssl/ca that exists)")
  Path from;

  @Override
  public Integer call() throws Exception {
    CaAssembly parts = options.assembly();
    Path source = from != null ? from.toAbsolutePath().normalize() : found();
    if (source == null) {
      System.err.println("Error: no Puppet Server CA directory found; give --from DIR");
      return Outcome.ERROR;
    }
    String unreachable = Reach.why(source);
    if (unreachable != null) {
      System.err.println("Error: " + unreachable);
      return Outcome.ERROR;
    }
    if (!Files.isRegularFile(source.resolve("ca_crt.pem"))) {
      System.err.println("Error: " + source + " holds no ca_crt.pem: not a Puppet CA directory");
      return Outcome.ERROR;
    }
    Path cadir = parts.config().store().cadir();
    if (!source.equals(cadir) && copy(parts, source, cadir) != Outcome.OK) {
      return Outcome.ERROR;
    }
    int checked =
        Offline.locked(
            parts,
            store -> {
              if (!Offline.complete(store)) {
                return Outcome.ERROR;
              }
              var ca = Certificates.readCertificates(store.documents().caBundle().text()).get(0);
              for (String m :
                  parts.sslDir().setAsideForeign(ca, ".before-adopt-" + LocalDate.now())) {
                did("moved aside a host certificate an earlier CA signed: " + m);
              }
              CheckReport r = StoreCapabilities.of(store).checkable().check(true);
              r.repairs().forEach(x -> did("repaired: " + x));
              r.problems().forEach(p -> System.out.println("problem: " + p));
              return r.clean() || !r.repairs().isEmpty() ? Outcome.OK : Outcome.ERROR;
            });
    if (checked != Outcome.OK) {
      return checked;
    }
    Ownership.handOver(cadir).ifPresent(this::did); // last: every file the steps above wrote
    System.out.println(
        "Adopted the CA in "
            + cadir
            + ": start voxca (systemctl start voxca); agents keep their certificates.");
    return Outcome.OK;
  }

  private static Path found() {
    return PUPPET_LAYOUTS.stream().filter(Files::isDirectory).findFirst().orElse(null);
  }

  /** The whole CA copied into the configured store, its keys into the configured cadir. */
  private int copy(CaAssembly parts, Path source, Path cadir) throws IOException {
    try (CaStore src = parts.openDirectory(source);
        CaStore dst = parts.openStore()) {
      StoreCopy.Counts n = StoreCopy.copy(src, dst);
      did("copied the CA of " + source + " into " + dst.location() + ": " + n.summary());
    } catch (IllegalStateException e) {
      System.err.println("Error: " + e.getMessage() + "; nothing was adopted");
      return Outcome.ERROR;
    }
    for (String key : List.of("ca_key.pem", "root_key.pem")) {
      Path k = source.resolve(key);
      if (Files.isRegularFile(k)) {
        Path to = key.equals("ca_key.pem") ? parts.config().store().cakey() : cadir.resolve(key);
        AtomicFiles.write(to, Files.readAllBytes(k), AtomicFiles.PRIVATE);
        did("copied " + k + " to " + to + " (owner and group only)");
      }
    }
    return Outcome.OK;
  }

  private void did(String what) {
    System.out.println("- " + what);
  }

  /** Why a directory cannot be reached by this user: the first ancestor it may not search. */
  static final class Reach {
    private Reach() {}

    static String why(Path dir) {
      Path p = dir.getRoot();
      for (Path part : dir) {
        p = p.resolve(part);
        if (!Files.exists(p)) {
          return dir + " does not exist (" + p + " is missing)";
        }
        if (Files.isDirectory(p) && !Files.isExecutable(p)) {
          return p
              + " is not searchable by "
              + System.getProperty("user.name")
              + " ("
              + describe(p)
              + "): give that user the directory's group, or run adopt as root";
        }
      }
      return Files.isDirectory(dir) ? null : dir + " is not a directory";
    }

    private static String describe(Path p) {
      try {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class);
        return PosixFilePermissions.toString(a.permissions())
            + " "
            + a.owner().getName()
            + ":"
            + a.group().getName();
      } catch (IOException | UnsupportedOperationException e) {
        return "unreadable attributes";
      }
    }
  }

  /** Run as root, the CA directory becomes its parent's owner's: the service user's. */
  static final class Ownership {
    private Ownership() {}

    static java.util.Optional<String> handOver(Path cadir) throws IOException {
      if (!"root".equals(System.getProperty("user.name")) || cadir.getParent() == null) {
        return java.util.Optional.empty();
      }
      PosixFileAttributes parent =
          Files.readAttributes(cadir.getParent(), PosixFileAttributes.class);
      PosixFileAttributes now = Files.readAttributes(cadir, PosixFileAttributes.class);
      if (now.owner().equals(parent.owner()) && now.group().equals(parent.group())) {
        return java.util.Optional.empty();
      }
      List<Path> all = new ArrayList<>();
      try (Stream<Path> walk = Files.walk(cadir)) {
        walk.forEach(all::add);
      }
      for (Path p : all) {
        PosixFileAttributeView v = Files.getFileAttributeView(p, PosixFileAttributeView.class);
        v.setOwner(parent.owner());
        v.setGroup(parent.group());
      }
      return java.util.Optional.of(
          "made "
              + cadir
              + " owned by "
              + parent.owner().getName()
              + ":"
              + parent.group().getName()
              + " (it was "
              + now.owner().getName()
              + ":"
              + now.group().getName()
              + ")");
    }
  }
}
