package dev.rebyte.agent.transform;

import dev.rebyte.agent.classfile.TypeHierarchy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.agent.decision.Decision;
import dev.rebyte.agent.decision.Reason;
import dev.rebyte.agent.decision.SiteDecision;
import dev.rebyte.agent.fixtures.CallCases;
import dev.rebyte.agent.fixtures.ControlCases;
import dev.rebyte.agent.fixtures.CtorField;
import dev.rebyte.agent.fixtures.CtorLocal;
import dev.rebyte.agent.fixtures.EscapeCases;
import dev.rebyte.agent.fixtures.LambdaCases;
import dev.rebyte.agent.fixtures.LoopCases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * The catalogue: each row is one fixture case, the decision and reason its sites must get, and the
 * check that the rewritten code computes what the original computes (same value, or same exception
 * type and message), against a pool that poisons released arrays. Each row's method gets one decision
 * per {@code new byte[n]} its bytecode holds, every such method of the fixture classes has a row, and
 * every class of the fixture package belongs to a catalogue, so a fixture added without its
 * expectation fails.
 */
class SiteCatalogueTest {
  static final Decision P = Decision.POOLED;
  static final Decision R = Decision.REJECTED;
  static final Decision S = Decision.SKIPPED;

  /** fixture class, method holding the sites ("*" suffix: prefix), runner, decision, reason. */
  static Stream<Object[]> catalogue() {
    return Stream.of(
        row(EscapeCases.class, "localOnly", P, Reason.NON_ESCAPING),
        row(EscapeCases.class, "storedInField", R, Reason.STORED_IN_FIELD),
        row(EscapeCases.class, "storedInStatic", R, Reason.STORED_IN_STATIC),
        row(EscapeCases.class, "storedInArray", R, Reason.STORED_IN_ARRAY),
        row(EscapeCases.class, "storedInArrayOfArrays", R, Reason.STORED_IN_ARRAY),
        row(EscapeCases.class, "returned", P, Reason.ALLOCATOR), // an allocator: acquired, escapes, never released
        row(EscapeCases.class, "returnsCopy", P, Reason.NON_ESCAPING),
        row(EscapeCases.class, "aliasThroughLocals", P, Reason.NON_ESCAPING),
        row(EscapeCases.class, "aliasThenEscape", R, Reason.STORED_IN_STATIC),
        row(EscapeCases.class, "mergeTwo", "mergeTwoSites", P, Reason.NON_ESCAPING),
        row(EscapeCases.class, "mergeTwoSitesOneEscapes", R, Reason.STORED_IN_STATIC),
        row(EscapeCases.class, "mergeParam", "mergeWithParameter", P, Reason.NON_ESCAPING),
        row(EscapeCases.class, "mergeWithParameter", S, Reason.BELOW_MIN_SIZE), // the 10-byte arguments
        row(EscapeCases.class, "mergeParamEscape", "mergeWithParameterEscapes", R, Reason.RETURNED),
        row(EscapeCases.class, "mergeWithParameterEscapes", S, Reason.BELOW_MIN_SIZE),
        row(EscapeCases.class, "instanceofAndCheckcast", P, Reason.NON_ESCAPING),
        row(EscapeCases.class, "comparisons", P, Reason.NON_ESCAPING),
        row(EscapeCases.class, "varargs", R, Reason.STORED_IN_ARRAY),
        row(EscapeCases.class, "negativeLength", P, Reason.NON_ESCAPING),
        row(EscapeCases.class, "zeroLength", S, Reason.BELOW_MIN_SIZE),
        row(EscapeCases.class, "smallConstant", S, Reason.BELOW_MIN_SIZE),
        row(EscapeCases.class, "variable", "variableLength", P, Reason.NON_ESCAPING),
        row(EscapeCases.class, "wideLocals", P, Reason.NON_ESCAPING),
        row(EscapeCases.class, "instanceLocal", "instanceMethod", P, Reason.NON_ESCAPING),
        row(EscapeCases.class, "dirty", "zeroedOnEveryCall", P, Reason.NON_ESCAPING),
        row(EscapeCases.class, "earlyReturn", "multipleReturns", P, Reason.NON_ESCAPING),
        row(EscapeCases.class, "longReturn", P, Reason.NON_ESCAPING),
        row(CallCases.class, "unknownStaticHelper", P, Reason.NON_ESCAPING_VIA_CALLEES),
        row(CallCases.class, "cloneReceiver", R, Reason.PASSED_TO_UNKNOWN_METHOD),
        row(CallCases.class, "requireNonNull", R, Reason.PASSED_TO_UNKNOWN_METHOD),
        row(CallCases.class, "capturedByRunnable", R, Reason.CAPTURED_BY_INVOKEDYNAMIC),
        row(CallCases.class, "inputStreamRead", P, Reason.NON_ESCAPING),
        row(CallCases.class, "byteArrayOutputStreamWrite", P, Reason.NON_ESCAPING),
        row(CallCases.class, "arraycopy", P, Reason.NON_ESCAPING),
        row(CallCases.class, "arraysHelpers", P, Reason.NON_ESCAPING),
        row(CallCases.class, "newString", P, Reason.NON_ESCAPING),
        row(CallCases.class, "messageDigest", P, Reason.NON_ESCAPING),
        row(CallCases.class, "crc32", P, Reason.NON_ESCAPING),
        row(CallCases.class, "byteBufferGetPut", P, Reason.NON_ESCAPING),
        row(CallCases.class, "byteBufferWrap", R, Reason.PASSED_TO_UNKNOWN_METHOD),
        row(CallCases.class, "byteArrayInputStreamCtor", R, Reason.PASSED_TO_UNKNOWN_METHOD),
        row(CallCases.class, "inflaterSetInput", R, Reason.PASSED_TO_UNKNOWN_METHOD),
        row(CallCases.class, "deflateInto", P, Reason.NON_ESCAPING),
        row(CallCases.class, "arraycopyIntoStaticArray", P, Reason.NON_ESCAPING),
        row(CallCases.class, "<clinit>", "arraycopyIntoStaticArray", S, Reason.BELOW_MIN_SIZE), // static target
        row(CallCases.class, "distrustable", P, Reason.NON_ESCAPING), // TransformModesTest distrusts it
        // TransformModesTest trusts userCodec at callee depth 0; by default its summary proves it
        row(CallCases.class, "trustable", P, Reason.NON_ESCAPING_VIA_CALLEES),
        row(LoopCases.class, "freshPerIteration", P, Reason.NON_ESCAPING),
        row(LoopCases.class, "previousKept", R, Reason.LIVE_WHEN_SITE_RUNS_AGAIN),
        row(LoopCases.class, "previousOnStack", R, Reason.LIVE_WHEN_SITE_RUNS_AGAIN),
        row(LoopCases.class, "previousKeptButOverwrittenFirst", P, Reason.NON_ESCAPING),
        row(LoopCases.class, "copyLoop", P, Reason.NON_ESCAPING),
        row(LoopCases.class, "bufferOutsideLoop", P, Reason.NON_ESCAPING),
        row(LoopCases.class, "nestedLoops", P, Reason.NON_ESCAPING),
        row(LoopCases.class, "loopWithEscape", R, Reason.STORED_IN_ARRAY),
        row(LoopCases.class, "previousInOtherLocalDeadLater", P, Reason.NON_ESCAPING),
        row(LoopCases.class, "source", "bufferOutsideLoop", R, Reason.PASSED_TO_UNKNOWN_METHOD), // the stream's
        row(ControlCases.class, "tryCatch", P, Reason.NON_ESCAPING),
        row(ControlCases.class, "finallyBody", "tryFinally", P, Reason.NON_ESCAPING),
        row(ControlCases.class, "exceptionInLoop", P, Reason.NON_ESCAPING),
        row(ControlCases.class, "throwsAfterAcquire", "exceptionalExit", P, Reason.NON_ESCAPING),
        row(ControlCases.class, "synchronizedMethod", P, Reason.NON_ESCAPING),
        row(ControlCases.class, "synchronizedOnArray", R, Reason.MONITOR),
        row(ControlCases.class, "synchronizedBlockOnOther", P, Reason.NON_ESCAPING),
        row(ControlCases.class, "switched", "switchCase", P, Reason.NON_ESCAPING),
        row(ControlCases.class, "negativeLengthCaught", P, Reason.NON_ESCAPING),
        row(CtorLocal.class, "<init>", "run", P, Reason.NON_ESCAPING),
        row(CtorField.class, "<init>", "run", R, Reason.FIELD_NOT_PRIVATE), // examined as an owner-scoped field (issue 10)
        row(LambdaCases.class, "captured", R, Reason.CAPTURED_BY_INVOKEDYNAMIC),
        row(LambdaCases.class, "lambda$body$*", "body", P, Reason.NON_ESCAPING),
        row(LambdaCases.class, "methodReference", R, Reason.PASSED_TO_UNKNOWN_METHOD));
  }

  private static Object[] row(Class<?> fixture, String method, Decision d, Reason r) {
    return row(fixture, method, method, d, r);
  }

  private static Object[] row(Class<?> fixture, String method, String runner, Decision d, Reason r) {
    return new Object[] {fixture.getSimpleName() + "." + method, fixture, method, runner, d, r};
  }

  private static final AtomicInteger IDS = new AtomicInteger();
  static final SiteRegistrar COUNTING = (site, mode) -> IDS.getAndIncrement();
  private static final ClassTransformer TRANSFORMER =
      new ClassTransformer(TransformSettings.defaults(), COUNTING);
  private static final TypeHierarchy HIERARCHY =
      TypeHierarchy.fromResources(SiteCatalogueTest.class.getClassLoader());
  private static final Map<String, TransformResult> RESULTS = new ConcurrentHashMap<>();

  static TransformResult transformed(String className) {
    return RESULTS.computeIfAbsent(className,
        n -> TRANSFORMER.transform(FixtureLoader.bytesOf(n), HIERARCHY));
  }

  @ParameterizedTest(name = "{0} -> {4} {5}")
  @MethodSource("catalogue")
  void caseGetsItsDecisionAndBehavesTheSame(String name, Class<?> fixture, String method,
      String runner, Decision decision, Reason reason) throws Exception {
    TransformResult result = transformed(fixture.getName());
    assertNull(result.failure(), () -> "failed open: " + result.failure());
    List<SiteDecision> sites = result.sites().stream()
        .filter(s -> matches(method, s.methodName()))
        .collect(Collectors.toList());
    assertFalse(sites.isEmpty(), () -> "no site reported in " + method + ": " + result.sites());
    long inBytecode = byteArraySites(fixture).entrySet().stream().filter(e -> matches(method, e.getKey()))
        .mapToLong(Map.Entry::getValue).sum();
    assertEquals(inBytecode, sites.stream().filter(s -> s.reason() != Reason.ALLOCATOR_RESULT).count(),
        () -> "one decision per new byte[] of " + method + ": " + sites);
    for (SiteDecision s : sites) {
      assertEquals(decision, s.decision(), s::toString);
      assertEquals(reason, s.reason(), s::toString);
      assertEquals(decision == P, s.siteId() >= 0, s::toString);
      if (decision == R) {
        assertTrue(s.reasonLine() > 0, () -> "no line for the offending instruction: " + s);
      }
    }
    FixtureLoader original = new FixtureLoader(b -> b);
    FixtureLoader rewritten = new FixtureLoader(b -> transformed(new ClassReader(b).getClassName()
        .replace('/', '.')).bytes());
    String expected = run(original, fixture.getName(), runner);
    String actual = run(rewritten, fixture.getName(), runner);
    assertEquals(expected, actual, "rewritten code computes something else");
    assertEquals(List.of(), errors(rewritten));
  }

  @Test
  void everyRewrittenFixtureClassVerifies() {
    for (Class<?> c : fixtureClasses()) {
      TransformResult result = transformed(c.getName());
      if (!result.changed()) {
        continue;
      }
      StringWriter out = new StringWriter();
      CheckClassAdapter.verify(new ClassReader(result.bytes()),
          new FixtureLoader(b -> b), false, new PrintWriter(out));
      assertEquals("", out.toString(), c.getSimpleName());
    }
  }

  /**
   * Every method of the catalogue's fixture classes that holds a {@code new byte[n]} (found in the
   * bytecode, not in the analysis) has a row: a fixture added without its expectation fails here.
   */
  @Test
  void everyFixtureMethodWithANewByteArrayHasARow() {
    List<String> missing = new ArrayList<>();
    for (Class<?> c : fixtureClasses()) {
      List<String> rows = catalogue().filter(r -> r[1] == c).map(r -> (String) r[2])
          .collect(Collectors.toList());
      for (String method : byteArraySites(c).keySet()) {
        if (rows.stream().noneMatch(row -> matches(row, method))) {
          missing.add(c.getSimpleName() + "." + method);
        }
      }
    }
    assertEquals(List.of(), missing, "fixture methods with a new byte[] but no catalogue row");
  }

  /** Fixture classes of this package whose cases are another catalogue's, and which one. */
  private static final Map<String, String> OTHER_CATALOGUES = Map.of(
      "RoundedCases", "RoundedCatalogueTest",
      "SummaryCases", "SummaryCatalogueTest",
      "SummaryHelpers", "SummaryCatalogueTest (the callees of SummaryCases)",
      "Unreadable", "SummaryCatalogueTest (a callee whose class file cannot be read)");

  /**
   * Every class of the fixture package ({@code owners} is {@code OwnerCatalogueTest}'s) is this
   * catalogue's or named in {@link #OTHER_CATALOGUES}: a new fixture class cannot go unchecked.
   */
  @Test
  void everyFixtureClassBelongsToACatalogue() throws Exception {
    Path dir = Paths.get(SiteCatalogueTest.class.getClassLoader()
        .getResource(FixtureLoader.FIXTURES.replace('.', '/')).toURI());
    Set<String> ours = fixtureClasses().stream().map(Class::getSimpleName).collect(Collectors.toSet());
    List<String> orphans;
    try (Stream<Path> files = Files.list(dir)) {
      orphans = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class"))
          .map(n -> n.substring(0, n.length() - ".class".length()).replaceFirst("\\$.*", ""))
          .distinct().filter(n -> !ours.contains(n) && !OTHER_CATALOGUES.containsKey(n)).sorted()
          .collect(Collectors.toList());
    }
    assertEquals(List.of(), orphans, "fixture classes no catalogue covers");
  }

  /** The fixture classes the catalogue has rows for. */
  private static List<Class<?>> fixtureClasses() {
    return catalogue().map(r -> (Class<?>) r[1]).distinct().collect(Collectors.toList());
  }

  /** A row's method ({@code "*"} suffix: a prefix) matches a method name. */
  private static boolean matches(String row, String method) {
    return row.endsWith("*") ? method.startsWith(row.substring(0, row.length() - 1)) : method.equals(row);
  }

  /** Method name to the number of {@code newarray T_BYTE} instructions it holds, read from the class file. */
  static Map<String, Long> byteArraySites(Class<?> fixture) {
    ClassNode node = new ClassNode();
    new ClassReader(FixtureLoader.bytesOf(fixture.getName())).accept(node, ClassReader.SKIP_DEBUG);
    Map<String, Long> out = new TreeMap<>();
    for (MethodNode m : node.methods) {
      long n = StreamSupport.stream(m.instructions.spliterator(), false)
          .filter(i -> i.getOpcode() == Opcodes.NEWARRAY && ((IntInsnNode) i).operand == Opcodes.T_BYTE)
          .count();
      if (n > 0) {
        out.merge(m.name, n, Long::sum);
      }
    }
    return out;
  }

  @Test
  void poolIsActuallyReusedInLoops() throws Exception {
    FixtureLoader loader = new FixtureLoader(b -> transformed(new ClassReader(b).getClassName()
        .replace('/', '.')).bytes());
    run(loader, LoopCases.class.getName(), "freshPerIteration");
    int[] counts = (int[]) loader.loadClass("dev.rebyte.runtime.Rebyte").getMethod("counts").invoke(null);
    assertEquals(5, counts[0], "acquires");
    assertEquals(4, counts[1], "hits: released before each re-acquire");
    assertEquals(5, counts[2], "releases: 4 in the loop, 1 at return");
  }

  static String run(ClassLoader loader, String className, String method) throws Exception {
    Class<?> c = loader.loadClass(className);
    Method m = c.getDeclaredMethod(method);
    m.setAccessible(true);
    try {
      Object value = m.invoke(null);
      return "value " + Arrays.deepToString(new Object[] {value});
    } catch (InvocationTargetException e) {
      return "threw " + e.getCause().getClass().getName() + ": " + e.getCause().getMessage();
    }
  }

  @SuppressWarnings("unchecked")
  static List<String> errors(ClassLoader loader) throws Exception {
    return (List<String>) loader.loadClass("dev.rebyte.runtime.Rebyte").getMethod("errors").invoke(null);
  }
}
