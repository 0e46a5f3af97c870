package dev.rebyte.agent.transform;

import dev.rebyte.agent.classfile.TypeHierarchy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.agent.decision.Decision;
import dev.rebyte.agent.decision.Rounding;
import dev.rebyte.agent.decision.SiteDecision;
import dev.rebyte.agent.fixtures.RoundedCases;
import dev.rebyte.runtime.SiteMode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Rounded mode: each row is one {@link RoundedCases} method, the size mode its sites must get, and
 * the check that the rewritten code, given arrays larger than asked, computes what the original
 * computes: same value, or same exception type AND message ("Index 5000 out of bounds for length
 * 5000", "arraycopy: last destination index 5001 out of bounds for byte[5000]", ...). The pool also
 * records any byte written at or beyond a rounded site's length (truncate-on-return's premise).
 */
class RoundedCatalogueTest {
  static final Rounding B = Rounding.BOUNDED;
  static final Rounding U = Rounding.UNOBSERVED;

  static Stream<Object[]> catalogue() {
    return Stream.of(
        row("readWhole", B), row("readFullyWhole", B), row("writeWhole", B),
        row("writeWholeOnSubclassOwner", B), row("newStringWhole", B),
        row("newStringCharsetName", B), row("fillWhole", B), row("equalsAndCompareWhole", B),
        row("digestWhole", B), row("checksumWhole", B), row("sortAndSearchWhole", B),
        row("byteBufferWhole", B), row("bigIntegerWhole", B), row("copyOfWithinAndPastN", B),
        row("copyOfNegative", B),
        row("loadAtN", B), row("loadAtNPlusOne", B), row("loadNegative", B),
        row("storeAtN", B), row("storeAtNPlusOne", B), row("storeNegative", B),
        row("caughtOutOfBounds", B),
        row("lengthInLoop", B), row("lengthIntoCall", B), row("freshPerIterationVaryingLength", B),
        row("arraycopyWithinN", B), row("arraycopyDestinationPastN", B),
        row("arraycopySourcePastN", B), row("arraycopySameArrayPastN", B),
        row("readRangedWithinN", B), row("readRangedPastN", B),
        row("readFullyRangedNegativeOffset", B), row("readFullyEmptyRangePastN", B),
        row("writeRangedPastN", B),
        row("newStringRangedPastN", B), row("fillRangedPastN", B), row("fillRangedFromAfterTo", B),
        row("copyOfRangePaddingPastN", B), row("digestRangedPastN", B),
        row("constantLength", Rounding.CONSTANT_LENGTH),
        row("mergeTwo", "mergeTwoSitesLength", Rounding.MERGED_VALUE),
        row("mergeParam", "mergeWithParameterLength", Rounding.MERGED_VALUE),
        row("mergeWithNullLength", Rounding.MERGED_VALUE),
        row("mergedButOnlyCompared", B),
        row("hashCodeHasNoBoundedForm", Rounding.UNBOUNDED_CALL),
        row("equalsWithForeignArray", Rounding.UNBOUNDED_CALL),
        row("toStringHasNoBoundedForm", Rounding.UNBOUNDED_CALL));
  }

  private static Object[] row(String method, Rounding rounding) {
    return row(method, method, rounding);
  }

  private static Object[] row(String method, String runner, Rounding rounding) {
    return new Object[] {method, runner, rounding};
  }

  private static final TypeHierarchy HIERARCHY =
      TypeHierarchy.fromResources(RoundedCatalogueTest.class.getClassLoader());
  private static final List<SiteMode> MODES = new ArrayList<>();
  private static final TransformResult RESULT = transform(TransformSettings.defaults());

  private static synchronized TransformResult transform(TransformSettings options) {
    return new ClassTransformer(options, (site, mode) -> {
      MODES.add(mode);
      return MODES.size() - 1;
    }).transform(FixtureLoader.bytesOf(RoundedCases.class.getName()), HIERARCHY);
  }

  private static FixtureLoader loader(TransformResult result) {
    return new FixtureLoader(b -> RoundedCases.class.getName()
        .equals(new ClassReader(b).getClassName().replace('/', '.')) ? result.bytes() : b);
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("catalogue")
  void caseGetsItsModeAndBehavesTheSameOnLargerArrays(String method, String runner, Rounding rounding)
      throws Exception {
    assertNull(RESULT.failure(), () -> "failed open: " + RESULT.failure());
    List<SiteDecision> sites = RESULT.sites().stream().filter(s -> s.methodName().equals(method))
        .collect(Collectors.toList());
    assertFalse(sites.isEmpty(), () -> "no site in " + method);
    for (SiteDecision s : sites) {
      assertEquals(Decision.POOLED, s.decision(), s::toString);
      assertEquals(rounding, s.rounding(), s::toString);
      assertEquals(rounding.rounded() ? SiteMode.ROUNDED : SiteMode.EXACT, s.mode(), s::toString);
      assertEquals(s.mode(), MODES.get(s.siteId()), "registered with the decided mode");
    }
    String expected = SiteCatalogueTest.run(new FixtureLoader(b -> b), RoundedCases.class.getName(), runner);
    FixtureLoader rewritten = loader(RESULT);
    String actual = SiteCatalogueTest.run(rewritten, RoundedCases.class.getName(), runner);
    assertEquals(expected, actual, "rewritten code, on arrays larger than asked, computes something else");
    assertEquals(List.of(), SiteCatalogueTest.errors(rewritten));
  }

  @Test
  void roundedSites_areMostOfTheCatalogue() {
    long rounded = RESULT.sites().stream().filter(s -> s.mode() == SiteMode.ROUNDED).count();
    assertTrue(rounded >= 40, () -> rounded + " rounded sites: " + RESULT.sites());
    assertTrue(catalogue().count() >= 45);
  }

  @Test
  void rewrittenClassVerifies() {
    StringWriter out = new StringWriter();
    CheckClassAdapter.verify(new ClassReader(RESULT.bytes()), new FixtureLoader(b -> b), false,
        new PrintWriter(out));
    assertEquals("", out.toString());
  }

  @Test
  void variableLengthsShareOneClass() throws Exception {
    FixtureLoader loader = loader(RESULT);
    Class.forName(RoundedCases.class.getName(), true, loader); // <clinit>: DATA = data(20000), an allocator
    int before = ((int[]) loader.loadClass("dev.rebyte.runtime.Rebyte").getMethod("counts").invoke(null))[0];
    SiteCatalogueTest.run(loader, RoundedCases.class.getName(), "freshPerIterationVaryingLength");
    int[] counts = (int[]) loader.loadClass("dev.rebyte.runtime.Rebyte").getMethod("counts").invoke(null);
    assertEquals(5, counts[0] - before, "acquires");
    assertEquals(4, counts[4], "lengths 5000..5400 all hit the 8192 class once released");
  }

  @Test
  void roundedOff_keepsEverySiteExactAndBehavesTheSame() throws Exception {
    TransformResult exact = transform(TransformSettings.builder().rounded(false).build());
    assertTrue(exact.sites().stream().filter(s -> s.decision() == Decision.POOLED)
        .allMatch(s -> s.mode() == SiteMode.EXACT
            && (s.rounding() == Rounding.DISABLED || s.rounding() == Rounding.CONSTANT_LENGTH)
            || s.mode() == SiteMode.ALLOCATOR && s.rounding() == Rounding.ALLOCATOR));
    FixtureLoader loader = loader(exact);
    for (String runner : List.of("readWhole", "loadAtN", "arraycopyDestinationPastN")) {
      assertEquals(SiteCatalogueTest.run(new FixtureLoader(b -> b), RoundedCases.class.getName(), runner),
          SiteCatalogueTest.run(loader, RoundedCases.class.getName(), runner));
    }
  }
}
