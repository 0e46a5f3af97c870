package dev.rebyte.agent.transform;

import dev.rebyte.agent.classfile.TypeHierarchy;
import dev.rebyte.agent.rewrite.SiteRewriter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.agent.decision.Decision;
import dev.rebyte.agent.decision.Reason;
import dev.rebyte.agent.decision.SiteDecision;
import dev.rebyte.agent.fixtures.CallCases;
import dev.rebyte.agent.fixtures.EscapeCases;
import dev.rebyte.agent.fixtures.LoopCases;
import dev.rebyte.runtime.SiteMode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/** Observe mode, trust/distrust, the method filter, and what the emitted code looks like. */
class TransformModesTest {
  private static final TypeHierarchy HIERARCHY =
      TypeHierarchy.fromResources(TransformModesTest.class.getClassLoader());

  private static TransformResult transform(TransformSettings options, Class<?> fixture,
      List<SiteMode> modes) {
    return new ClassTransformer(options, (site, mode) -> {
      modes.add(mode);
      return modes.size() - 1;
    }).transform(FixtureLoader.bytesOf(fixture.getName()), HIERARCHY);
  }

  private static List<SiteDecision> sitesOf(TransformResult r, String method) {
    return r.sites().stream().filter(s -> s.methodName().equals(method)).collect(Collectors.toList());
  }

  @Test
  void observe_countsAcceptedSitesAndKeepsTheAllocation() throws Exception {
    List<SiteMode> modes = new ArrayList<>();
    TransformResult r = transform(TransformSettings.builder().mode(TransformSettings.Mode.OBSERVE).build(),
        LoopCases.class, modes);
    assertTrue(r.changed());
    assertTrue(modes.stream().allMatch(m -> m == SiteMode.OBSERVED));
    SiteDecision fresh = sitesOf(r, "freshPerIteration").get(0);
    assertEquals(Decision.OBSERVED, fresh.decision());
    assertEquals(Reason.LIVE_WHEN_SITE_RUNS_AGAIN, sitesOf(r, "previousKept").get(0).reason());
    assertEquals(0, calls(r.bytes(), "acquire") + calls(r.bytes(), "release"));
    assertEquals(modes.size(), calls(r.bytes(), "observe"));

    FixtureLoader loader = new FixtureLoader(b -> LoopCases.class.getName()
        .equals(new ClassReader(b).getClassName().replace('/', '.')) ? r.bytes() : b);
    String expected = SiteCatalogueTest.run(new FixtureLoader(b -> b), LoopCases.class.getName(), "freshPerIteration");
    assertEquals(expected, SiteCatalogueTest.run(loader, LoopCases.class.getName(), "freshPerIteration"));
    int[] counts = (int[]) loader.loadClass("dev.rebyte.runtime.Rebyte").getMethod("counts").invoke(null);
    assertEquals(5, counts[3], "observes");
    assertEquals(0, counts[0], "acquires");
  }

  @Test
  void rewrite_releasesBeforeEveryReturnAndBeforeReacquireInLoops() {
    TransformResult r = transform(TransformSettings.defaults(), EscapeCases.class, new ArrayList<>());
    MethodNode early = method(r.bytes(), "earlyReturn");
    assertEquals(1, count(early, "acquire"));
    assertEquals(3, count(early, "release"), "one per return, no loop");
    MethodNode loop = method(transform(TransformSettings.defaults(), LoopCases.class,
        new ArrayList<>()).bytes(), "freshPerIteration");
    assertEquals(2, count(loop, "release"), "one before the re-acquire, one at the return");
  }

  @Test
  void distrust_rejectsAListedMethod() {
    TransformSettings options = TransformSettings.builder()
        .distrust(List.of("java.io.InputStream#read")).build();
    TransformResult r = transform(options, CallCases.class, new ArrayList<>());
    SiteDecision d = sitesOf(r, "distrustable").get(0);
    assertEquals(Reason.PASSED_TO_DISTRUSTED_METHOD, d.reason());
    assertEquals("java/io/InputStream.read([BII)I", d.detail());
  }

  @Test
  void trust_acceptsAUserMethod() {
    TransformSettings oneMethod = TransformSettings.builder().calleeDepth(0).build(); // no summaries
    TransformResult before = transform(oneMethod, CallCases.class, new ArrayList<>());
    assertEquals(Reason.PASSED_TO_UNKNOWN_METHOD, sitesOf(before, "trustable").get(0).reason());
    TransformSettings options = TransformSettings.builder().calleeDepth(0)
        .trust(List.of("dev.rebyte.agent.fixtures.CallCases#userCodec([B)I")).build();
    TransformResult r = transform(options, CallCases.class, new ArrayList<>());
    assertEquals(Decision.POOLED, sitesOf(r, "trustable").get(0).decision());
  }

  @Test
  void malformedEntries_failBuildWithTheEntryInTheMessage() {
    for (String bad : List.of("Codec", "com.acme.Codec#", "#decode", "com/acme/Codec#decode",
        "com.acme.Codec#decode([BII", "com.acme.Codec#decode(Q)V", "com.acme.Codec#de-code")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> TransformSettings.builder().trust(List.of(bad)).build(), bad);
      assertTrue(e.getMessage().contains("rebyte.trust") && e.getMessage().contains(bad), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class,
        () -> TransformSettings.builder().distrust(List.of("x")).build());
    TransformSettings ok = TransformSettings.builder()
        .trust(List.of("com.acme.Codec#decode([BII)I", "java.util.Base64$Decoder#decode", " ")).build();
    assertEquals(2, ok.trust().size());
  }

  @Test
  void methodFilter_skipsMethodsAndTheirSites() {
    TransformSettings options = TransformSettings.builder()
        .methodFilter((c, m) -> !m.equals("localOnly")).build();
    TransformResult r = transform(options, EscapeCases.class, new ArrayList<>());
    assertTrue(sitesOf(r, "localOnly").isEmpty());
    assertEquals(0, count(method(r.bytes(), "localOnly"), "acquire"));
    assertFalse(sitesOf(r, "aliasThroughLocals").isEmpty());
  }

  @Test
  void minSize_zeroPoolsSmallConstants() {
    TransformResult r = transform(TransformSettings.builder().minSize(0).build(), EscapeCases.class,
        new ArrayList<>());
    assertEquals(Decision.POOLED, sitesOf(r, "smallConstant").get(0).decision());
  }

  @Test
  void noAcceptedSite_returnsTheInputArray() {
    byte[] input = FixtureLoader.bytesOf(dev.rebyte.agent.fixtures.CtorField.class.getName());
    TransformResult r = new ClassTransformer(TransformSettings.defaults(), (s, m) -> 0)
        .transform(input, HIERARCHY);
    assertFalse(r.changed());
    assertSame(input, r.bytes());
    assertEquals(1, r.sites().size());
  }

  static MethodNode method(byte[] bytes, String name) {
    ClassNode node = new ClassNode();
    new ClassReader(bytes).accept(node, 0);
    return node.methods.stream().filter(m -> m.name.equals(name)).findFirst().orElseThrow();
  }

  static int count(MethodNode m, String runtimeMethod) {
    int n = 0;
    for (AbstractInsnNode insn : m.instructions) {
      if (insn.getOpcode() == Opcodes.INVOKESTATIC && ((MethodInsnNode) insn).owner.equals(SiteRewriter.RUNTIME)
          && ((MethodInsnNode) insn).name.equals(runtimeMethod)) {
        n++;
      }
    }
    return n;
  }

  static int calls(byte[] bytes, String runtimeMethod) {
    ClassNode node = new ClassNode();
    new ClassReader(bytes).accept(node, 0);
    return node.methods.stream().mapToInt(m -> count(m, runtimeMethod)).sum();
  }
}
