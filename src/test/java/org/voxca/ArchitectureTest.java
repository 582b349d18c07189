package org.voxca;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The dependency arrows of the layout (README "Layout"): pki and ca at the centre, the store behind
 * its contract, the assembly the one place that picks implementations (shared by the server and the
 * offline CLI, so cli → assembly ← server and no arrow runs back up to {@code Main}), and the inner
 * layout of {@code ca}: one facade over sibling services, no chain of its working classes deeper
 * than four.
 */
@AnalyzeClasses(packages = "org.voxca", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String CA = "org.voxca.ca";
  private static final String[] IMPLEMENTATIONS = {
    "org.voxca.store.puppetdir..", "org.voxca.store.postgres.."
  };

  /** Packages under {@code store} that every implementation may use: they are no store. */
  private static final Set<String> SHARED = Set.of("index");

  @ArchTest
  static final ArchRule layers =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .withOptionalLayers(true)
          .layer("main")
          .definedBy("org.voxca")
          .layer("files")
          .definedBy("org.voxca.files..")
          .layer("pki")
          .definedBy("org.voxca.pki..")
          .layer("store")
          .definedBy("org.voxca.store..")
          .layer("ca")
          .definedBy("org.voxca.ca..")
          .layer("http")
          .definedBy("org.voxca.http..")
          .layer("tls")
          .definedBy("org.voxca.tls..")
          .layer("config")
          .definedBy("org.voxca.config..")
          .layer("cli")
          .definedBy("org.voxca.cli..")
          .layer("client")
          .definedBy("org.voxca.client..")
          .layer("pkcs11")
          .definedBy("org.voxca.pkcs11..")
          .layer("assembly")
          .definedBy("org.voxca.assembly..")
          .layer("server")
          .definedBy("org.voxca.server..")
          .whereLayer("main")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("server")
          .mayOnlyBeAccessedByLayers("main")
          .whereLayer("cli")
          .mayOnlyBeAccessedByLayers("main")
          .whereLayer("http")
          .mayOnlyBeAccessedByLayers("server")
          .whereLayer("tls")
          .mayOnlyBeAccessedByLayers("server")
          .whereLayer("assembly")
          .mayOnlyBeAccessedByLayers("server", "cli")
          .whereLayer("pkcs11")
          .mayOnlyBeAccessedByLayers("assembly")
          .whereLayer("config")
          .mayOnlyBeAccessedByLayers("cli", "server", "assembly")
          .whereLayer("ca")
          .mayOnlyBeAccessedByLayers("http", "tls", "config", "cli", "server", "assembly", "pkcs11")
          .whereLayer("store")
          .mayOnlyBeAccessedByLayers("ca", "cli", "server", "assembly")
          .whereLayer("files")
          .mayOnlyBeAccessedByLayers("store", "cli", "server", "assembly")
          .whereLayer("pki")
          .mayOnlyBeAccessedByLayers(
              "store", "ca", "http", "tls", "cli", "client", "server", "assembly", "pkcs11");

  /** Only the assembly picks a store implementation; everything else sees the store's contract. */
  @ArchTest
  static final ArchRule onlyTheAssemblyKnowsTheImplementations =
      noClasses()
          .that()
          .resideOutsideOfPackages("org.voxca.assembly..", "org.voxca.store..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(IMPLEMENTATIONS);

  /**
   * No store implementation imports another: what two share (the certificate index, atomic files)
   * lives in a neutral package. A new implementation package is caught too: any package under
   * {@code store} but the shared ones is an implementation.
   */
  @Test
  void noStoreImplementationImportsAnother() {
    JavaClasses all =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.voxca.store");
    Set<String> found = new TreeSet<>();
    for (JavaClass c : all) {
      String from = implementation(c.getPackageName());
      if (from == null) {
        continue;
      }
      found.add(from);
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        String to = implementation(d.getTargetClass().getPackageName());
        assertThat(to == null || to.equals(from))
            .as("%s depends on %s", c.getName(), d.getTargetClass().getName())
            .isTrue();
      }
    }
    assertThat(found).contains("puppetdir", "postgres");
  }

  /** The implementation a package of {@code store} belongs to; null for the contract and shared. */
  private static String implementation(String pkg) {
    String prefix = "org.voxca.store.";
    if (!pkg.startsWith(prefix)) {
      return null;
    }
    String first = pkg.substring(prefix.length()).split("\\.")[0];
    return SHARED.contains(first) ? null : first;
  }

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("org.voxca.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule caUsesOnlyTheStoreSpi =
      noClasses()
          .that()
          .resideInAPackage("org.voxca.ca..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.voxca.store.puppetdir..");

  /**
   * Outside the CA core, only the facade's interfaces and value types are reachable; the assembly
   * alone names the facade's implementation, to build it.
   */
  @ArchTest
  static final ArchRule outsideSeesOnlyTheFacade =
      noClasses()
          .that()
          .resideOutsideOfPackages(CA, "org.voxca.assembly..")
          .should()
          .dependOnClassesThat()
          .haveSimpleNameEndingWith("DefaultCertificateAuthority");

  /** The services are siblings: only the facade (and the lifecycle, for issuance) wires them. */
  @ArchTest
  static final ArchRule servicesAreWiredOnlyByTheFacade =
      classes()
          .that()
          .resideInAPackage(CA)
          .and()
          .haveSimpleNameEndingWith("Signing")
          .or()
          .haveSimpleName("Renewal")
          .or()
          .haveSimpleName("Revocation")
          .or()
          .haveSimpleName("Statuses")
          .or()
          .haveSimpleName("UpstreamCrls")
          .should()
          .onlyHaveDependentClassesThat()
          .haveSimpleNameStartingWith("DefaultCertificateAuthority");

  @ArchTest
  static final ArchRule noJettyInTheCore =
      noClasses()
          .that()
          .resideInAnyPackage(
              "org.voxca.pki..", "org.voxca.ca..", "org.voxca.store..", "org.voxca.config..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.eclipse.jetty..");

  @ArchTest
  static final ArchRule noIoInPki =
      noClasses()
          .that()
          .resideInAPackage("org.voxca.pki..")
          .should()
          .dependOnClassesThat()
          .haveFullyQualifiedName("java.nio.file.Files");

  @ArchTest
  static final ArchRule httpNeverTouchesTheStore =
      noClasses()
          .that()
          .resideInAPackage("org.voxca.http..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.voxca.store..");

  /**
   * No chain of the CA core's working classes (not its interfaces, records, enums or exceptions) is
   * deeper than four: facade, service, helper, leaf.
   */
  @Test
  void theCaCoreIsAtMostFourLevelsDeep() {
    JavaClasses all =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(CA);
    Map<String, Set<String>> edges = new TreeMap<>();
    for (JavaClass c : all) {
      if (!c.getPackageName().equals(CA) || !working(c)) {
        continue;
      }
      Set<String> to = edges.computeIfAbsent(top(c).getName(), k -> new LinkedHashSet<>());
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        JavaClass t = top(d.getTargetClass());
        if (t.getPackageName().equals(CA) && working(t) && !t.equals(top(c))) {
          to.add(t.getName());
        }
      }
    }
    Map<String, Integer> depth = new HashMap<>();
    for (String start : edges.keySet()) {
      depth.put(start, longest(start, edges, new ArrayDeque<>()));
    }
    System.out.println("[arch] depth of each chain in ca: " + depth);
    assertThat(depth)
        .allSatisfy(
            (cls, d) -> assertThat(d).as("%s starts a chain of %d", cls, d).isLessThanOrEqualTo(4));
  }

  /** No two classes depend on each other (a nested class counts as its top-level class). */
  @Test
  void noTwoClassesDependOnEachOther() {
    JavaClasses all =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.voxca");
    Map<String, Set<String>> edges = new TreeMap<>();
    for (JavaClass c : all) {
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        JavaClass t = top(d.getTargetClass());
        if (t.getPackageName().startsWith("org.voxca") && !t.equals(top(c))) {
          edges.computeIfAbsent(top(c).getName(), k -> new TreeSet<>()).add(t.getName());
        }
      }
    }
    Set<String> pairs = new TreeSet<>();
    edges.forEach(
        (a, tos) -> {
          for (String b : tos) {
            if (a.compareTo(b) < 0 && edges.getOrDefault(b, Set.of()).contains(a)) {
              pairs.add(a + " <-> " + b);
            }
          }
        });
    assertThat(pairs).isEmpty();
  }

  private static int longest(String from, Map<String, Set<String>> edges, Deque<String> path) {
    path.push(from);
    int best = 1;
    for (String next : edges.getOrDefault(from, Set.of())) {
      if (!path.contains(next)) {
        best = Math.max(best, 1 + longest(next, edges, path));
      }
    }
    path.pop();
    return best;
  }

  private static JavaClass top(JavaClass c) {
    JavaClass t = c;
    while (t.getEnclosingClass().isPresent()) {
      t = t.getEnclosingClass().get();
    }
    return t;
  }

  private static boolean working(JavaClass c) {
    JavaClass t = top(c);
    return !t.isInterface() && !t.isRecord() && !t.isEnum() && !t.isAssignableTo(Throwable.class);
  }
}
