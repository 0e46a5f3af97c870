package dev.rebyte.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The agent's packages depend along the flow and never against it: {@code config} → {@code select} →
 * {@code classfile} → {@code analysis} ({@code .flow}, {@code .callee}, {@code .owner}, {@code .jdk})
 * → {@code decision} → {@code transform} → {@code rewrite} → {@code install}, {@code report},
 * {@code http}, {@code cli}. Only the main classes are imported; each rule says why it holds.
 */
@AnalyzeClasses(packages = "dev.rebyte.agent", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  /*
   * Rules over bytecode, not source: a {@link} in javadoc is no dependency, a string naming a class
   * (RebyteAgent's reflective call of the installer) is none either. "Above" a layer means a package
   * later in the flow: the pipeline (transform), the emitter (rewrite) and the wiring and outputs
   * (install, metrics, report, http, cli).
   *
   * Slices for the cycle rule are cut from dev.rebyte, not dev.rebyte.agent: ArchUnit's
   * "dev.rebyte.agent.(**)" matches no class of the root package itself (RebyteAgent would belong to
   * no slice and a cycle through it would go unseen), while "dev.rebyte.(**)" makes the root package
   * the slice "agent", and analysis, analysis.flow, analysis.callee, ... slices of their own.
   */

  private static final String AGENT = "dev.rebyte.agent";
  private static final String[] ABOVE_THE_ANALYSIS = {
    AGENT + ".transform..", AGENT + ".rewrite..", AGENT + ".install..", AGENT + ".metrics..",
    AGENT + ".report..", AGENT + ".http..", AGENT + ".cli.."
  };

  @ArchTest
  static final ArchRule entryPointLinksOnlyTheJdk = classes()
      .that().resideInAPackage(AGENT)
      .should().onlyDependOnClassesThat().resideInAnyPackage(AGENT, "java..")
      .because("RebyteAgent runs on the system class loader before the runtime jar is on the bootstrap"
          + " path: any agent, runtime, ByteBuddy or ASM class it links could resolve"
          + " dev.rebyte.runtime too soon, so it calls the installer reflectively");

  @ArchTest
  static final ArchRule inputsKnowNothingAboveThem = noClasses()
      .that().resideInAnyPackage(AGENT + ".config..", AGENT + ".select..", AGENT + ".classfile..")
      .should().dependOnClassesThat().resideInAnyPackage(concat(ABOVE_THE_ANALYSIS,
          AGENT + ".analysis..", AGENT + ".decision.."))
      .because("configuration, selection and class-file reading are the inputs of the flow: the"
          + " analysis, the pipeline, the CLI and the tests build on them, not the other way round");

  @ArchTest
  static final ArchRule analysisAndDecisionKnowNoEmitterOrWiring = noClasses()
      .that().resideInAnyPackage(AGENT + ".analysis..", AGENT + ".decision..")
      .should().dependOnClassesThat().resideInAnyPackage(ABOVE_THE_ANALYSIS)
      .because("the analysis decides and the decision types describe what was decided; how the"
          + " decision is emitted, installed, reported or served must not feed back into it");

  @ArchTest
  static final ArchRule decisionsAreReadWithoutTheAnalysis = noClasses()
      .that().resideInAPackage(AGENT + ".decision..")
      .should().dependOnClassesThat().resideInAPackage(AGENT + ".analysis..")
      .because("the decision types are what the rewrite, the reports and the CLI read: they carry"
          + " everything those need, so none of them is handed the analysis through a decision");

  @ArchTest
  static final ArchRule rewriteEmitsFromDecisionsOnly = classes()
      .that().resideInAPackage(AGENT + ".rewrite..")
      .should().onlyDependOnClassesThat().resideInAnyPackage(
          AGENT + ".rewrite..", AGENT + ".decision..", "org.objectweb.asm..", "java..")
      .because("the rewrite only emits what a decision says (DESIGN: the rewrite never decides): it"
          + " reads decision types, never the analysis or the pipeline's policy");

  @ArchTest
  static final ArchRule byteBuddyIsWiringOnly = noClasses()
      .that().resideOutsideOfPackage(AGENT + ".install..")
      .should().dependOnClassesThat().resideInAPackage("net.bytebuddy..")
      .because("ByteBuddy only installs the transformer: the analysis, the rewrite and the CLI work"
          + " on ASM and class files alone, with or without ByteBuddy on the class path");

  @ArchTest
  static final ArchRule caseConversionsNameTheirLocale = noClasses()
      .should().callMethod(String.class, "toLowerCase")
      .orShould().callMethod(String.class, "toUpperCase")
      .because("the agent runs inside applications of any default locale: under tr, \"SKIPPED\""
          + " lowercases to \"sk\u0131pped\" and breaks every key and value users match on; use Locale.ROOT");

  @ArchTest
  static final ArchRule packagesAreFreeOfCycles = slices()
      .matching("dev.rebyte.(**)")
      .should().beFreeOfCycles()
      .because("a cycle makes two packages one: neither can be read, tested or changed alone");

  private static String[] concat(String[] packages, String... more) {
    String[] out = new String[packages.length + more.length];
    System.arraycopy(packages, 0, out, 0, packages.length);
    System.arraycopy(more, 0, out, packages.length, more.length);
    return out;
  }
}
