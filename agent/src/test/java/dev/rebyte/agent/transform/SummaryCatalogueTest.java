package dev.rebyte.agent.transform;

import dev.rebyte.agent.classfile.TypeHierarchy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.agent.decision.Decision;
import dev.rebyte.agent.decision.Reason;
import dev.rebyte.agent.decision.SiteDecision;
import dev.rebyte.agent.fixtures.SummaryCases;
import dev.rebyte.agent.fixtures.SummaryHelpers;
import dev.rebyte.runtime.SiteMode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Beyond one method: callee summaries and allocators, in the catalogue's style (decision, reason,
 * same result as the original against the poisoning pool). {@code Unreadable}'s class file is
 * hidden from the analysis (but not from the class loader).
 */
class SummaryCatalogueTest {
  static final Decision P = Decision.POOLED;
  static final Decision R = Decision.REJECTED;
  private static final String HIDDEN = "dev/rebyte/agent/fixtures/Unreadable";

  static Stream<Object[]> catalogue() {
    return Stream.of(
        row("oneLevel", P, Reason.NON_ESCAPING_VIA_CALLEES, "SummaryCases.fill([BI)V: no calls"),
        row("oneLevelVariable", P, Reason.NON_ESCAPING_VIA_CALLEES, "SummaryCases.sum([B)I"),
        row("twoLevels", P, Reason.NON_ESCAPING_VIA_CALLEES,
            "via dev/rebyte/agent/fixtures/SummaryCases.readSome(Ljava/io/InputStream;[BI)I: only java/io/InputStream.read([BII)I"),
        row("recursive", R, Reason.CALLEE_NOT_ANALYSABLE, "recursive call"),
        row("helperStores", R, Reason.ESCAPES_IN_CALLEE, "STORED_IN_STATIC dev/rebyte/agent/fixtures/SummaryCases.kept"),
        row("otherClass", P, Reason.NON_ESCAPING_VIA_CALLEES, "SummaryHelpers.checksum([BII)I: only java/util/zip/CRC32.update([BII)V"),
        row("overloadSafe", P, Reason.NON_ESCAPING_VIA_CALLEES, "touch([B)I"),
        row("overloadEscapes", R, Reason.ESCAPES_IN_CALLEE, "touch([BZ)I: STORED_IN_STATIC"),
        row("varargs", R, Reason.STORED_IN_ARRAY, ""),
        row("unreadable", R, Reason.CALLEE_NOT_ANALYSABLE, "cannot read the class file of " + HIDDEN),
        row("virtualHelper", R, Reason.PASSED_TO_UNKNOWN_METHOD, "not statically bound"),
        row("finalVirtualHelper", P, Reason.NON_ESCAPING_VIA_CALLEES, "Closed.look([B)I"),
        row("newBuffer", "allocatorEscapes", P, Reason.ALLOCATOR, "SummaryCases.newBuffer()[B"),
        row("allocatorLocal", P, Reason.ALLOCATOR_RESULT, "SummaryCases.newBuffer()[B"),
        row("allocatorParamLength", P, Reason.ALLOCATOR_RESULT, "SummaryHelpers.byteArray(I)[B"),
        row("nestedAllocator", P, Reason.ALLOCATOR_RESULT, "SummaryCases.viaAllocator(I)[B"),
        row("allocatorInLoop", P, Reason.ALLOCATOR_RESULT, "SummaryCases.newBuffer()[B"),
        row("maybeCached", "sometimesCached", R, Reason.RETURNED, ""),
        // a virtual call that overrides a trusted JDK method keeps its contract (Callees)
        row("contractRead", P, Reason.NON_ESCAPING_VIA_CALLEES, "SummaryCases$CopyingStream.read([BII)I"),
        row("contractBroken", R, Reason.ESCAPES_IN_CALLEE, "STORED_IN_STATIC"),
        row("contractAbstract", P, Reason.NON_ESCAPING, ""),
        row("allocAndKeep", "allocAndKeepRunner", R, Reason.STORED_IN_STATIC, ""));
  }

  private static Object[] row(String method, Decision d, Reason r, String detail) {
    return row(method, method, d, r, detail);
  }

  private static Object[] row(String method, String runner, Decision d, Reason r, String detail) {
    return new Object[] {method, runner, d, r, detail};
  }

  private static final AtomicInteger IDS = new AtomicInteger();
  private static final Map<Integer, SiteMode> MODES = new ConcurrentHashMap<>();
  private static final TypeHierarchy HIERARCHY = new TypeHierarchy() {
    private final TypeHierarchy resources =
        TypeHierarchy.fromResources(SummaryCatalogueTest.class.getClassLoader());

    @Override
    public String superName(String internalName) {
      return resources.superName(internalName);
    }

    @Override
    public boolean isInterface(String internalName) {
      return resources.isInterface(internalName);
    }

    @Override
    public byte[] classFile(String internalName) {
      return HIDDEN.equals(internalName) ? null : resources.classFile(internalName);
    }
  };
  private static final ClassTransformer TRANSFORMER = new ClassTransformer(
      TransformSettings.defaults(), (site, mode) -> {
        int id = IDS.getAndIncrement();
        MODES.put(id, mode);
        return id;
      });
  private static final Map<String, TransformResult> RESULTS = new ConcurrentHashMap<>();

  static TransformResult transformed(String className) {
    return RESULTS.computeIfAbsent(className,
        n -> TRANSFORMER.transform(FixtureLoader.bytesOf(n), HIERARCHY));
  }

  private static FixtureLoader rewritten() {
    return new FixtureLoader(b -> transformed(new ClassReader(b).getClassName().replace('/', '.')).bytes());
  }

  @ParameterizedTest(name = "{0} -> {2} {3}")
  @MethodSource("catalogue")
  void caseGetsItsDecisionAndBehavesTheSame(String method, String runner, Decision decision,
      Reason reason, String detail) throws Exception {
    TransformResult result = transformed(SummaryCases.class.getName());
    assertNull(result.failure(), () -> "failed open: " + result.failure());
    List<SiteDecision> sites = result.sites().stream().filter(s -> s.methodName().equals(method))
        .collect(Collectors.toList());
    assertFalse(sites.isEmpty(), () -> "no site reported in " + method + ": " + result.sites());
    for (SiteDecision s : sites) {
      assertEquals(decision, s.decision(), s::toString);
      assertEquals(reason, s.reason(), s::toString);
      assertTrue(s.detail().contains(detail), () -> "detail of " + s);
      assertEquals(decision == P, s.siteId() >= 0, s::toString);
    }
    String expected = SiteCatalogueTest.run(new FixtureLoader(b -> b), SummaryCases.class.getName(), runner);
    FixtureLoader loader = rewritten();
    String actual = SiteCatalogueTest.run(loader, SummaryCases.class.getName(), runner);
    assertEquals(expected, actual, "rewritten code computes something else");
    assertEquals(List.of(), SiteCatalogueTest.errors(loader));
  }

  @Test
  void aCallWhoseAllocatorResultEscapesIsNotReported_andACachedArrayIsNoAllocator() {
    TransformResult result = transformed(SummaryCases.class.getName());
    assertTrue(result.sites().stream().noneMatch(s -> s.methodName().equals("allocatorEscapes")
        || s.methodName().equals("sometimesCached") || s.methodName().equals("allocAndKeepCaller")),
        () -> result.sites().toString());
  }

  @Test
  void allocatorSitesAreRegisteredOnceInAllocatorMode_andCallersReleaseUnderTheirId() {
    TransformResult cases = transformed(SummaryCases.class.getName());
    TransformResult helpers = transformed(SummaryHelpers.class.getName());
    SiteDecision inner = helpers.sites().stream().filter(s -> s.methodName().equals("byteArray"))
        .findFirst().orElseThrow();
    assertEquals(Reason.ALLOCATOR, inner.reason());
    assertEquals(SiteMode.ALLOCATOR, inner.mode());
    assertEquals(SiteMode.ALLOCATOR, MODES.get(inner.siteId()));
    SiteDecision caller = cases.sites().stream().filter(s -> s.methodName().equals("allocatorParamLength"))
        .findFirst().orElseThrow();
    assertEquals(inner.siteId(), caller.siteId(), "one id per allocator, whoever registered it first");
  }

  @Test
  void escapingAllocatorResultIsNeverReleased_localOneIs() throws Exception {
    FixtureLoader loader = rewritten();
    SiteCatalogueTest.run(loader, SummaryCases.class.getName(), "allocatorEscapes");
    int[] c = (int[]) loader.loadClass("dev.rebyte.runtime.Rebyte").getMethod("counts").invoke(null);
    int acquires = c[0];
    int releases = c[2];
    SiteCatalogueTest.run(loader, SummaryCases.class.getName(), "allocatorLocal");
    c = (int[]) loader.loadClass("dev.rebyte.runtime.Rebyte").getMethod("counts").invoke(null);
    assertEquals(acquires + 1, c[0], "allocatorLocal acquires through newBuffer");
    assertEquals(releases + 1, c[2], "and releases at its return");
    SiteCatalogueTest.run(loader, SummaryCases.class.getName(), "allocatorEscapes");
    int[] after = (int[]) loader.loadClass("dev.rebyte.runtime.Rebyte").getMethod("counts").invoke(null);
    assertEquals(c[0] + 1, after[0], "allocatorEscapes acquires");
    assertEquals(c[2], after[2], "and releases nothing: the array escaped");
  }

  @Test
  void variableSitePassedToAHelperStaysExact() {
    SiteDecision s = transformed(SummaryCases.class.getName()).sites().stream()
        .filter(d -> d.methodName().equals("oneLevelVariable")).findFirst().orElseThrow();
    assertEquals(SiteMode.EXACT, s.mode(), s::toString);
  }

  @Test
  void calleeDepthZeroIsTheOneMethodRule() {
    TransformResult r = new ClassTransformer(TransformSettings.builder().calleeDepth(0).build(),
        (site, mode) -> 0).transform(FixtureLoader.bytesOf(SummaryCases.class.getName()), HIERARCHY);
    assertTrue(r.sites().stream().noneMatch(s -> s.reason() == Reason.NON_ESCAPING_VIA_CALLEES
        || s.reason() == Reason.ALLOCATOR || s.reason() == Reason.ALLOCATOR_RESULT), () -> r.sites().toString());
  }

  @Test
  void everyRewrittenClassVerifies() {
    for (Class<?> c : List.of(SummaryCases.class, SummaryHelpers.class)) {
      TransformResult result = transformed(c.getName());
      assertTrue(result.changed(), c.getName());
      StringWriter out = new StringWriter();
      CheckClassAdapter.verify(new ClassReader(result.bytes()), new FixtureLoader(b -> b), false,
          new PrintWriter(out));
      assertEquals("", out.toString(), c.getSimpleName());
    }
  }
}
