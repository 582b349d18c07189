package org.voxca;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The dependency arrows of style.md: pki and ca at the centre, server the only wiring place. */
@AnalyzeClasses(packages = "org.voxca", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
      .withOptionalLayers(true)
      .layer("pki").definedBy("org.voxca.pki..")
      .layer("store").definedBy("org.voxca.store..")
      .layer("ca").definedBy("org.voxca.ca..")
      .layer("http").definedBy("org.voxca.http..")
      .layer("tls").definedBy("org.voxca.tls..")
      .layer("config").definedBy("org.voxca.config..")
      .layer("cli").definedBy("org.voxca.cli..")
      .layer("client").definedBy("org.voxca.client..")
      .layer("server").definedBy("org.voxca.server..")
      .whereLayer("http").mayOnlyBeAccessedByLayers("server")
      .whereLayer("tls").mayOnlyBeAccessedByLayers("server")
      .whereLayer("config").mayOnlyBeAccessedByLayers("cli", "server")
      .whereLayer("ca").mayOnlyBeAccessedByLayers("http", "tls", "cli", "server")
      .whereLayer("store").mayOnlyBeAccessedByLayers("ca", "cli", "server")
      .whereLayer("pki").mayOnlyBeAccessedByLayers("store", "ca", "http", "tls", "cli", "client", "server");

  @ArchTest
  static final ArchRule caUsesOnlyTheStoreSpi = noClasses().that().resideInAPackage("org.voxca.ca..")
      .should().dependOnClassesThat().resideInAnyPackage("org.voxca.store.puppetdir..");

  @ArchTest
  static final ArchRule noJettyInTheCore = noClasses().that()
      .resideInAnyPackage("org.voxca.pki..", "org.voxca.ca..", "org.voxca.store..", "org.voxca.config..")
      .should().dependOnClassesThat().resideInAPackage("org.eclipse.jetty..");

  @ArchTest
  static final ArchRule noIoInPki = noClasses().that().resideInAPackage("org.voxca.pki..")
      .should().dependOnClassesThat().haveFullyQualifiedName("java.nio.file.Files");

  @ArchTest
  static final ArchRule httpNeverTouchesTheStore = noClasses().that().resideInAPackage("org.voxca.http..")
      .should().dependOnClassesThat().resideInAPackage("org.voxca.store..");
}
