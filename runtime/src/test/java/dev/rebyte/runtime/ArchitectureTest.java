package dev.rebyte.runtime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The runtime links the JDK and nothing else: it goes on the bootstrap class path, where every
 * rewritten class of every class loader calls {@link Rebyte}. Its sub-package
 * {@code dev.rebyte.runtime.micrometer} is the exception, compiled against Micrometer and never put on
 * the boot path, and the runtime proper never links it. Only the main classes are imported.
 */
@AnalyzeClasses(packages = "dev.rebyte.runtime", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  /*
   * Rules over bytecode, not source: a {@link} in javadoc is no dependency. "The runtime" below is
   * the package dev.rebyte.runtime itself (resideInAPackage without ".." takes no sub-package), so
   * the binder in .micrometer is judged by its own rule.
   *
   * "The JDK" is java.. plus the two management packages the runtime reads, each for one purpose:
   * javax.management (module java.management) for the MBean and the GC notifications,
   * com.sun.management (module jdk.management) for the G1 region size (HotSpotDiagnosticMXBean) and
   * the GC notification payload. Both are reached off the serving path only (the maintenance
   * thread, the MBean, configure's region-size probe), never from an acquire or a release.
   * jdk.internal, sun.* and every library are out.
   */

  private static final String RUNTIME = "dev.rebyte.runtime";
  private static final String BINDER = RUNTIME + ".micrometer";

  @ArchTest
  static final ArchRule runtimeLinksOnlyTheJdk = classes()
      .that().resideInAPackage(RUNTIME)
      .should().onlyDependOnClassesThat().resideInAnyPackage(
          RUNTIME, "java..", "javax.management..", "com.sun.management..")
      .because("the runtime sits on the bootstrap class path, which holds the JDK and the runtime"
          + " alone: a class of any other library or of the agent cannot be resolved from there");

  @ArchTest
  static final ArchRule runtimeNeverLinksTheMicrometerBinder = noClasses()
      .that().resideInAPackage(RUNTIME)
      .should().dependOnClassesThat().resideInAPackage(BINDER + "..")
      .because("the binder is left out of the boot jar (it needs Micrometer, which the boot class path"
          + " cannot see): the runtime must work without it, and the binder reads the runtime only"
          + " through Rebyte's public methods and the public statistics views");

  @ArchTest
  static final ArchRule binderLinksOnlyTheRuntimeMicrometerAndTheJdk = classes()
      .that().resideInAPackage(BINDER + "..")
      .should().onlyDependOnClassesThat().resideInAnyPackage(
          RUNTIME + "..", "io.micrometer..", "java..")
      .because("the agent injects the binder unrelocated into application class loaders that have"
          + " Micrometer: it may link the runtime on the boot path and that Micrometer, nothing of"
          + " the agent");
}
