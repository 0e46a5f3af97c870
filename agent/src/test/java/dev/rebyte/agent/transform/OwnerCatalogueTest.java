package dev.rebyte.agent.transform;

import dev.rebyte.agent.classfile.TypeHierarchy;
import dev.rebyte.agent.rewrite.SiteRewriter;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.agent.decision.Decision;
import dev.rebyte.agent.decision.Reason;
import dev.rebyte.agent.decision.SiteDecision;
import dev.rebyte.agent.fixtures.owners.ChecksumReader;
import dev.rebyte.agent.fixtures.owners.CloneableOwner;
import dev.rebyte.agent.fixtures.owners.ClosingBase;
import dev.rebyte.agent.fixtures.owners.ClosingSub;
import dev.rebyte.agent.fixtures.owners.ConcurrentlyClosed;
import dev.rebyte.agent.fixtures.owners.ConfiguredEnd;
import dev.rebyte.agent.fixtures.owners.Data;
import dev.rebyte.agent.fixtures.owners.DeflatingWriter;
import dev.rebyte.agent.fixtures.owners.ExposedInflater;
import dev.rebyte.agent.fixtures.owners.GetterOwner;
import dev.rebyte.agent.fixtures.owners.GrowingBuffer;
import dev.rebyte.agent.fixtures.owners.GrowingInflaterInput;
import dev.rebyte.agent.fixtures.owners.HandsItselfOver;
import dev.rebyte.agent.fixtures.owners.DescribedOwner;
import dev.rebyte.agent.fixtures.owners.HelperReader;
import dev.rebyte.agent.fixtures.owners.HookBase;
import dev.rebyte.agent.fixtures.owners.HookSub;
import dev.rebyte.agent.fixtures.owners.ListenedOwner;
import dev.rebyte.agent.fixtures.owners.InflaterLeftOpen;
import dev.rebyte.agent.fixtures.owners.InflatingReader;
import dev.rebyte.agent.fixtures.owners.LazyBuffer;
import dev.rebyte.agent.fixtures.owners.LiveAcrossClose;
import dev.rebyte.agent.fixtures.owners.LocalInflater;
import dev.rebyte.agent.fixtures.owners.NeverClosed;
import dev.rebyte.agent.fixtures.owners.NoReleasePoint;
import dev.rebyte.agent.fixtures.owners.NullingClose;
import dev.rebyte.agent.fixtures.owners.OuterOwner;
import dev.rebyte.agent.fixtures.owners.PackagePrivateField;
import dev.rebyte.agent.fixtures.owners.ParameterField;
import dev.rebyte.agent.fixtures.owners.Parcel;
import dev.rebyte.agent.fixtures.owners.PassedOn;
import dev.rebyte.agent.fixtures.owners.ProtectedBase;
import dev.rebyte.agent.fixtures.owners.ProtectedSub;
import dev.rebyte.agent.fixtures.owners.ReflectedOwner;
import dev.rebyte.agent.fixtures.owners.SerializableOwner;
import dev.rebyte.agent.fixtures.owners.SharedInflater;
import dev.rebyte.agent.fixtures.owners.StoredElsewhere;
import dev.rebyte.agent.fixtures.owners.TransientSerializable;
import dev.rebyte.agent.fixtures.owners.TwiceClosed;
import dev.rebyte.agent.fixtures.owners.UsedAfterClose;
import dev.rebyte.runtime.SiteMode;
import java.io.ObjectStreamClass;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.CheckClassAdapter;
import org.objectweb.asm.util.Textifier;
import org.objectweb.asm.util.TraceMethodVisitor;

/**
 * Owner-scoped buffers (issue 10), in the catalogue's style: each row is one fixture of
 * {@code fixtures.owners}, the decision, reason and field its {@code new byte[n]} sites must get
 * with owners on, and the check that the rewritten classes compute what the originals compute
 * against the poisoning pool (a release before close() would hand the array to the next owner).
 * Then the ledger of the pool (acquires, releases, hits per owner), use after close, concurrent
 * close, and owners off (OWNERS_DISABLED, classes unchanged). Last, buffers handed to
 * {@code setInput} of an Inflater/Deflater (CodecFields): owner-scoped only when the codec is the
 * object's own, and then every release method ends the codec before it releases the buffer.
 *
 * <p>Details are checked only for the field name, so their wording can change.
 */
class OwnerCatalogueTest {
  static final Decision P = Decision.POOLED;
  static final Decision R = Decision.REJECTED;
  private static final String PACKAGE = "dev/rebyte/agent/fixtures/owners/";
  private static final List<String> RELEASE = List.of(ConfiguredEnd.class.getName() + "#end");

  /** site class, method holding the sites, class whose run() exercises it, decision, reason, field. */
  static Stream<Object[]> catalogue() {
    return Stream.of(
        pooled(ChecksumReader.class, "<init>", "window"),
        pooled(LazyBuffer.class, "digest", "scratch"),
        pooled(GrowingBuffer.class, "<init>", "data"),
        pooled(GrowingBuffer.class, "grow", "data"),
        pooled(TransientSerializable.class, "sum", "staging"),
        row(ClosingBase.class, "<init>", ClosingSub.class, P, Reason.OWNED_BY_INSTANCE, "page"),
        pooled(ConfiguredEnd.class, "<init>", "pending"),
        pooled(TwiceClosed.class, "<init>", "block"),
        pooled(ConcurrentlyClosed.class, "<init>", "cells"),
        pooled(NullingClose.class, "<init>", "cells"),
        pooled(UsedAfterClose.class, "<init>", "page"),
        pooled(NeverClosed.class, "<init>", "frame"),
        rejected(GetterOwner.class, Reason.FIELD_ESCAPES, "chunk"),
        rejected(PassedOn.class, Reason.FIELD_ESCAPES, "packet"),
        rejected(StoredElsewhere.class, Reason.FIELD_ESCAPES, "slab"),
        row(ProtectedBase.class, "<init>", ProtectedSub.class, R, Reason.FIELD_ESCAPES, "frame"),
        rejected(PackagePrivateField.class, Reason.FIELD_NOT_PRIVATE, "block"),
        rejected(ParameterField.class, Reason.FIELD_NOT_FRESH, "store"),
        rejected(OuterOwner.class, Reason.FIELD_USED_BY_NESTMATE, "ring"),
        rejected(ReflectedOwner.class, Reason.FIELD_REFLECTED, "spare"),
        rejected(CloneableOwner.class, Reason.OWNER_CLONEABLE, "cells"),
        rejected(SerializableOwner.class, Reason.OWNER_SERIALIZABLE, "record"),
        rejected(NoReleasePoint.class, Reason.NO_RELEASE_POINT, "pending"),
        rejected(LiveAcrossClose.class, Reason.LIVE_ACROSS_RELEASE, "tail"),
        row(HookBase.class, "<init>", HookSub.class, R, Reason.LIVE_ACROSS_RELEASE, "frame"),
        rejected(ListenedOwner.class, Reason.LIVE_ACROSS_RELEASE, "chunk"),
        rejected(HandsItselfOver.class, Reason.LIVE_ACROSS_RELEASE, "block"),
        rejected(DescribedOwner.class, Reason.LIVE_ACROSS_RELEASE, "text"),
        pooled(HelperReader.class, "<init>", "buf"),
        pooled(InflatingReader.class, "<init>", "buf"),
        pooled(InflaterLeftOpen.class, "<init>", "input"),
        pooled(DeflatingWriter.class, "<init>", "pending"),
        rejected(SharedInflater.class, Reason.FIELD_ESCAPES, "window"),
        rejected(ExposedInflater.class, Reason.FIELD_ESCAPES, "block"),
        rejected(GrowingInflaterInput.class, Reason.FIELD_ESCAPES, "data"),
        rejected(LocalInflater.class, Reason.FIELD_ESCAPES, "chunk"));
  }

  private static Object[] pooled(Class<?> owner, String method, String field) {
    return row(owner, method, owner, P, Reason.OWNED_BY_INSTANCE, field);
  }

  private static Object[] rejected(Class<?> owner, Reason reason, String field) {
    return row(owner, "<init>", owner, R, reason, field);
  }

  private static Object[] row(Class<?> owner, String method, Class<?> runner, Decision d, Reason r,
      String field) {
    return new Object[] {owner.getSimpleName() + "." + method, owner, method, runner, d, r, field};
  }

  private static final TypeHierarchy HIERARCHY =
      TypeHierarchy.fromResources(OwnerCatalogueTest.class.getClassLoader());
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final Map<Integer, SiteMode> MODES = new ConcurrentHashMap<>();
  private static final SiteRegistrar RECORDING = (site, mode) -> {
    int id = IDS.getAndIncrement();
    MODES.put(id, mode);
    return id;
  };
  private static final ClassTransformer ON = new ClassTransformer(TransformSettings.builder()
      .owners(c -> c.startsWith(PACKAGE)).ownerRelease(RELEASE).build(), RECORDING);
  private static final ClassTransformer OFF = new ClassTransformer(TransformSettings.builder()
      .ownerRelease(RELEASE).build(), RECORDING);
  private static final Map<String, TransformResult> ON_RESULTS = new ConcurrentHashMap<>();
  private static final Map<String, TransformResult> OFF_RESULTS = new ConcurrentHashMap<>();

  static TransformResult on(String className) {
    return ON_RESULTS.computeIfAbsent(className, n -> ON.transform(FixtureLoader.bytesOf(n), HIERARCHY));
  }

  static TransformResult off(String className) {
    return OFF_RESULTS.computeIfAbsent(className, n -> OFF.transform(FixtureLoader.bytesOf(n), HIERARCHY));
  }

  private static FixtureLoader rewritten() {
    return new FixtureLoader(b -> on(new ClassReader(b).getClassName().replace('/', '.')).bytes());
  }

  private static List<SiteDecision> sites(TransformResult result, Class<?> owner, String method) {
    return result.sites().stream()
        .filter(s -> s.className().equals(owner.getName()) && s.methodName().equals(method))
        .collect(Collectors.toList());
  }

  /** The one site id of the owner's pooled field (all of its sites share it). */
  private static int fieldId(Class<?> owner) {
    Set<Integer> ids = on(owner.getName()).sites().stream()
        .filter(s -> s.reason() == Reason.OWNED_BY_INSTANCE).map(SiteDecision::siteId)
        .collect(Collectors.toSet());
    assertEquals(1, ids.size(), () -> "one id for the owned field of " + owner.getSimpleName() + ": " + ids);
    return ids.iterator().next();
  }

  @ParameterizedTest(name = "{0} -> {4} {5}")
  @MethodSource("catalogue")
  void caseGetsItsDecisionAndBehavesTheSame(String name, Class<?> owner, String method,
      Class<?> runner, Decision decision, Reason reason, String field) throws Exception {
    TransformResult result = on(owner.getName());
    assertNull(result.failure(), () -> "failed open: " + result.failure());
    List<SiteDecision> sites = sites(result, owner, method);
    assertFalse(sites.isEmpty(), () -> "no site reported in " + method + ": " + result.sites());
    for (SiteDecision s : sites) {
      assertEquals(decision, s.decision(), s::toString);
      assertEquals(reason, s.reason(), s::toString);
      assertTrue(s.detail().contains(field), () -> "the detail names the field " + field + ": " + s);
      assertEquals(decision == P, s.siteId() >= 0, s::toString);
    }
    if (decision == R) {
      assertFalse(result.changed(), "nothing else in the class to pool: left unchanged");
    }
    String expected = SiteCatalogueTest.run(new FixtureLoader(b -> b), runner.getName(), "run");
    FixtureLoader loader = rewritten();
    String actual = SiteCatalogueTest.run(loader, runner.getName(), "run");
    assertTrue(expected.startsWith("value "), expected);
    assertEquals(expected, actual, "rewritten code computes something else");
    assertEquals(List.of(), SiteCatalogueTest.errors(loader));
    assertEquals(0, counts(loader)[6], "released an array the pool never handed out");
  }

  @ParameterizedTest(name = "{0}, owners off -> {5}")
  @MethodSource("catalogue")
  void ownersOff_qualifyingFieldsAreOwnersDisabled_othersKeepTheirReason_classUnchanged(String name,
      Class<?> owner, String method, Class<?> runner, Decision decision, Reason reason, String field) {
    TransformResult result = off(owner.getName());
    assertNull(result.failure(), () -> "failed open: " + result.failure());
    List<SiteDecision> sites = sites(result, owner, method);
    assertFalse(sites.isEmpty(), () -> "no site reported in " + method + ": " + result.sites());
    for (SiteDecision s : sites) {
      assertEquals(R, s.decision(), s::toString);
      assertEquals(decision == P ? Reason.OWNERS_DISABLED : reason, s.reason(), s::toString);
      assertTrue(s.detail().contains(field), () -> "the detail names the field " + field + ": " + s);
      assertEquals(-1, s.siteId(), s::toString);
    }
    assertFalse(result.changed(), "owners off and nothing else to pool: the class is left unchanged");
  }

  @Test
  void pooledFieldSitesAreRegisteredOwned_oneIdPerField() {
    for (Object[] row : catalogue().filter(r -> r[4] == P).collect(Collectors.toList())) {
      for (SiteDecision s : sites(on(((Class<?>) row[1]).getName()), (Class<?>) row[1], (String) row[2])) {
        assertEquals(SiteMode.OWNED, MODES.get(s.siteId()), () -> "registered mode of " + s);
        assertEquals(SiteMode.OWNED, s.mode(), () -> "reported mode of " + s);
      }
    }
    assertEquals(2, sites(on(GrowingBuffer.class.getName()), GrowingBuffer.class, "<init>").size()
        + sites(on(GrowingBuffer.class.getName()), GrowingBuffer.class, "grow").size());
    fieldId(GrowingBuffer.class); // both sites of GrowingBuffer.data under one id
    assertNotEquals(fieldId(TwiceClosed.class), fieldId(NeverClosed.class), "one id per field");
  }

  /** runner class, runner, owner class, acquires, releases, pool hits, at least this many ownerLock calls. */
  static Stream<Object[]> ledger() {
    return Stream.of(
        ledgerRow(TwiceClosed.class, "closeTwice", TwiceClosed.class, 16, 16, 15, 32),
        ledgerRow(ClosingSub.class, "closeTwice", ClosingBase.class, 16, 16, 15, 32),
        ledgerRow(ConfiguredEnd.class, "endTwice", ConfiguredEnd.class, 16, 16, 15, 32),
        ledgerRow(ChecksumReader.class, "run", ChecksumReader.class, 3, 3, 1, 3),
        ledgerRow(GrowingBuffer.class, "growAndClose", GrowingBuffer.class, 8, 8, 4, 2),
        ledgerRow(LazyBuffer.class, "trimAndClose", LazyBuffer.class, 2, 2, 1, 1),
        ledgerRow(TransientSerializable.class, "roundTrip", TransientSerializable.class, 2, 2, 0, 2),
        ledgerRow(UsedAfterClose.class, "run", UsedAfterClose.class, 1, 1, 0, 1),
        ledgerRow(NeverClosed.class, "run", NeverClosed.class, 8, 0, 0, 0),
        ledgerRow(ConcurrentlyClosed.class, "closeConcurrently", ConcurrentlyClosed.class,
            300, 300, 0, 900),
        ledgerRow(NullingClose.class, "closeConcurrently", NullingClose.class, 300, 300, 0, 1800), // the store in close() locks too
        ledgerRow(InflatingReader.class, "run", InflatingReader.class, 3, 3, 1, 3),
        ledgerRow(InflaterLeftOpen.class, "run", InflaterLeftOpen.class, 3, 3, 1, 3),
        ledgerRow(DeflatingWriter.class, "run", DeflatingWriter.class, 3, 3, 1, 3));
  }

  private static Object[] ledgerRow(Class<?> runner, String method, Class<?> owner, int acquires,
      int releases, int hits, int locks) {
    return new Object[] {runner.getSimpleName() + "." + method, runner, method, owner, acquires,
        releases, hits, locks};
  }

  @ParameterizedTest(name = "{0}: {4} acquired, {5} released, {6} hits")
  @MethodSource("ledger")
  void eachOwnerReleasesItsArrayOnce_underTheFieldId(String name, Class<?> runner, String method,
      Class<?> owner, int acquires, int releases, int hits, int locks) throws Exception {
    String expected = SiteCatalogueTest.run(new FixtureLoader(b -> b), runner.getName(), method);
    FixtureLoader loader = rewritten();
    assertEquals(expected, SiteCatalogueTest.run(loader, runner.getName(), method),
        "rewritten code computes something else");
    assertEquals(List.of(), SiteCatalogueTest.errors(loader), "double releases, releases under the lock");
    int[] counts = counts(loader);
    assertEquals(acquires, counts[0], "acquires");
    assertEquals(releases, counts[2], "releases (close twice, or by many threads at once: once)");
    assertEquals(hits, counts[1], "hits: arrays released by closed owners serve the next ones");
    assertEquals(0, counts[6], "released an array the pool never handed out");
    assertTrue(counts[5] >= locks, () -> "ownerLock at every return of the release method: " + counts[5]);
    int id = fieldId(owner);
    assertArrayEquals(new int[] {acquires, releases}, siteCounts(loader, id),
        "acquired and released under the field's id");
  }

  @ParameterizedTest
  @MethodSource("concurrentOwners")
  void concurrentClose_manyRounds_releaseOncePerOwner(Class<?> owner) throws Exception {
    String expected = SiteCatalogueTest.run(new FixtureLoader(b -> b), owner.getName(), "closeConcurrently");
    for (int round = 0; round < 5; round++) {
      FixtureLoader loader = rewritten();
      assertEquals(expected, SiteCatalogueTest.run(loader, owner.getName(), "closeConcurrently"));
      assertEquals(List.of(), SiteCatalogueTest.errors(loader), "round " + round);
      assertEquals(300, counts(loader)[2], "round " + round + ": releases");
    }
  }

  static Stream<Class<?>> concurrentOwners() {
    return Stream.of(ConcurrentlyClosed.class, NullingClose.class);
  }

  @Test
  void useAfterClose_throwsNullPointerExceptionOnlyWhenRewritten() throws Exception {
    for (String runner : List.of("readAfterClose", "copyAfterClose")) {
      String original = SiteCatalogueTest.run(new FixtureLoader(b -> b), UsedAfterClose.class.getName(), runner);
      assertTrue(original.startsWith("value "), original);
      FixtureLoader loader = rewritten();
      String actual = SiteCatalogueTest.run(loader, UsedAfterClose.class.getName(), runner);
      assertTrue(actual.startsWith("threw java.lang.NullPointerException"),
          () -> runner + ": the closed owner's field must be null, got " + actual);
      assertEquals(List.of(), SiteCatalogueTest.errors(loader));
      assertEquals(1, counts(loader)[2], "released once, by close()");
    }
  }

  /**
   * Issue 18: a copy of the buffer alive across a call that may reach close() through this object
   * -- an overridable hook, an interface call on a listener given this, a call passing this -- is
   * LIVE_ACROSS_RELEASE, and the detail names the call and why.
   */
  static Stream<Object[]> callsThatMayClose() {
    return Stream.of(
        new Object[] {HookBase.class, "virtual call on this dev.rebyte.agent.fixtures.owners.HookBase.hook()V, not"
            + " final: a subclass may override it to call close()"},
        new Object[] {ListenedOwner.class, "interface call dev.rebyte.agent.fixtures.owners.ChunkListener.onChunk(I)V,"
            + " and this escapes (passed to dev.rebyte.agent.fixtures.owners.ChunkListener.opened"},
        new Object[] {HandsItselfOver.class, "passes this to dev.rebyte.agent.fixtures.owners.OwnerRegistry.retire"},
        new Object[] {DescribedOwner.class, "passes this to java.lang.String.valueOf(Ljava/lang/Object;)"});
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("callsThatMayClose")
  void callThatMayReachClose_detailNamesTheCallAndWhy(Class<?> owner, String why) {
    List<SiteDecision> sites = sites(on(owner.getName()), owner, "<init>");
    assertFalse(sites.isEmpty());
    for (SiteDecision s : sites) {
      assertEquals(Reason.LIVE_ACROSS_RELEASE, s.reason(), s::toString);
      assertTrue(s.detail().contains("across a call that may reach a release method: " + why), s::toString);
    }
  }

  @Test
  void releaseMethodOtherThanCloseMustBeConfigured() {
    TransformResult result = new ClassTransformer(TransformSettings.builder()
        .owners(c -> c.startsWith(PACKAGE)).build(), RECORDING)
        .transform(FixtureLoader.bytesOf(ConfiguredEnd.class.getName()), HIERARCHY);
    List<SiteDecision> sites = sites(result, ConfiguredEnd.class, "<init>");
    assertEquals(1, sites.size(), result.sites()::toString);
    assertEquals(Reason.NO_RELEASE_POINT, sites.get(0).reason(), sites.get(0)::toString);
    assertFalse(result.changed());
  }

  @Test
  void ownersPredicateSelectsByInternalClassName() {
    ClassTransformer one = new ClassTransformer(TransformSettings.builder()
        .owners(c -> c.equals(PACKAGE + "TwiceClosed")).build(), RECORDING);
    TransformResult selected = one.transform(FixtureLoader.bytesOf(TwiceClosed.class.getName()), HIERARCHY);
    TransformResult other = one.transform(FixtureLoader.bytesOf(NeverClosed.class.getName()), HIERARCHY);
    assertEquals(Reason.OWNED_BY_INSTANCE, sites(selected, TwiceClosed.class, "<init>").get(0).reason());
    assertTrue(selected.changed());
    assertEquals(Reason.OWNERS_DISABLED, sites(other, NeverClosed.class, "<init>").get(0).reason());
    assertFalse(other.changed());
  }

  @Test
  void serialVersionUidOfATransientOwnerIsUnchanged() throws Exception {
    Class<?> original = new FixtureLoader(b -> b).loadClass(TransientSerializable.class.getName());
    Class<?> pooled = rewritten().loadClass(TransientSerializable.class.getName());
    assertEquals(ObjectStreamClass.lookup(original).getSerialVersionUID(),
        ObjectStreamClass.lookup(pooled).getSerialVersionUID(),
        "a computed serialVersionUID must survive the rewrite (no new non-private members)");
  }

  @Test
  void everyRewrittenOwnerClassVerifies() {
    List<String> classes = Stream.concat(
        catalogue().flatMap(r -> Stream.of((Class<?>) r[1], (Class<?>) r[3])).map(Class::getName),
        Stream.of(Data.class.getName(), Parcel.class.getName(), OuterOwner.Cursor.class.getName()))
        .distinct().collect(Collectors.toList());
    for (String c : classes) {
      TransformResult result = on(c);
      assertNull(result.failure(), () -> c + " failed open: " + result.failure());
      if (!result.changed()) {
        continue;
      }
      StringWriter out = new StringWriter();
      CheckClassAdapter.verify(new ClassReader(result.bytes()), new FixtureLoader(b -> b), false,
          new PrintWriter(out));
      assertEquals("", out.toString(), c);
    }
  }

  @Test
  void catalogueCoversEveryOwnerReason() {
    Set<Reason> covered = catalogue().map(r -> (Reason) r[5]).collect(Collectors.toSet());
    Set<Reason> owner = EnumSet.of(Reason.OWNED_BY_INSTANCE, Reason.FIELD_ESCAPES,
        Reason.FIELD_NOT_PRIVATE, Reason.FIELD_NOT_FRESH, Reason.FIELD_USED_BY_NESTMATE,
        Reason.FIELD_REFLECTED, Reason.OWNER_CLONEABLE, Reason.OWNER_SERIALIZABLE,
        Reason.NO_RELEASE_POINT, Reason.LIVE_ACROSS_RELEASE);
    covered.add(Reason.FIELD_FINAL); // retransformation: finalFieldsStayWhenRetransforming
    covered.add(Reason.OWNERS_DISABLED); // ownersOff_* below
    owner.add(Reason.FIELD_FINAL);
    owner.add(Reason.OWNERS_DISABLED);
    assertTrue(covered.containsAll(owner), () -> "missing: " + owner.stream()
        .filter(r -> !covered.contains(r)).collect(Collectors.toList()));
  }

  /**
   * Late attach retransforms loaded classes, which must keep their schema: a final field of a Java
   * 9+ class file (these fixtures are --release 11) is then not pooled, a non-final one still is.
   */
  @Test
  void finalFieldsStayWhenRetransforming() {
    ClassTransformer late = new ClassTransformer(TransformSettings.builder()
        .owners(c -> c.startsWith(PACKAGE)).retransforming(true).build(), RECORDING);
    TransformResult finalField = late.transform(FixtureLoader.bytesOf(ChecksumReader.class.getName()), HIERARCHY);
    SiteDecision d = sites(finalField, ChecksumReader.class, "<init>").get(0);
    assertEquals(Reason.FIELD_FINAL, d.reason(), d::toString);
    assertFalse(finalField.changed(), "nothing else to rewrite in ChecksumReader");
    TransformResult plainField = late.transform(FixtureLoader.bytesOf(LazyBuffer.class.getName()), HIERARCHY);
    assertEquals(Reason.OWNED_BY_INSTANCE, sites(plainField, LazyBuffer.class, "digest").get(0).reason());
    TransformResult early = on(ChecksumReader.class.getName());
    assertTrue(early.changed());
    assertTrue(isFinal(FixtureLoader.bytesOf(ChecksumReader.class.getName()), "window"));
    assertFalse(isFinal(early.bytes(), "window"), "loaded with the agent: the field loses final");
  }

  private static boolean isFinal(byte[] classFile, String field) {
    org.objectweb.asm.tree.ClassNode node = new org.objectweb.asm.tree.ClassNode();
    new ClassReader(classFile).accept(node, ClassReader.SKIP_CODE);
    int access = node.fields.stream().filter(f -> f.name.equals(field)).findFirst().orElseThrow().access;
    return (access & org.objectweb.asm.Opcodes.ACC_FINAL) != 0;
  }

  /**
   * The catalogue's codec rows (buffers handed to Inflater/Deflater.setInput), with what the detail
   * of every site of the field must name: the codec field (pooled: the one close() ends; rejected:
   * the one that is not the object's own), or setInput when the codec is a local.
   */
  static Stream<Object[]> codecs() {
    return Stream.of(
        new Object[] {InflatingReader.class, "<init>", "inflater"},
        new Object[] {InflaterLeftOpen.class, "<init>", "inflater"},
        new Object[] {DeflatingWriter.class, "<init>", "deflater"},
        new Object[] {SharedInflater.class, "<init>", "shared"},
        new Object[] {ExposedInflater.class, "<init>", "decoder"},
        new Object[] {GrowingInflaterInput.class, "<init>", "unpacker"},
        new Object[] {GrowingInflaterInput.class, "grow", "unpacker"},
        new Object[] {LocalInflater.class, "<init>", "setInput"});
  }

  @ParameterizedTest(name = "{0}.{1}: detail names {2}")
  @MethodSource("codecs")
  void codecCase_detailNamesTheCodec(Class<?> owner, String method, String codec) {
    List<SiteDecision> sites = sites(on(owner.getName()), owner, method);
    assertFalse(sites.isEmpty(), () -> "no site reported in " + method);
    for (SiteDecision s : sites) {
      assertTrue(s.detail().contains(codec), () -> "the detail names " + codec + ": " + s);
      if (s.reason() == Reason.OWNED_BY_INSTANCE) {
        assertTrue(s.detail().contains("ends the codec in " + codec), s::toString);
      }
    }
  }

  /**
   * The owner left its Inflater open (the original close() only closes the stream): the rewritten
   * close() ends it before releasing the buffer, so a read after close fails in the Inflater
   * instead of inflating the array that the pool has meanwhile given to another reader (the hit).
   */
  @Test
  void inflaterLeftOpen_readAfterClose_throwsFromTheEndedInflaterOnlyWhenRewritten() throws Exception {
    String original = SiteCatalogueTest.run(new FixtureLoader(b -> b), InflaterLeftOpen.class.getName(),
        "readAfterClose");
    assertTrue(original.startsWith("value [read 16 16 then 16 "), original);
    FixtureLoader loader = rewritten();
    String actual = SiteCatalogueTest.run(loader, InflaterLeftOpen.class.getName(), "readAfterClose");
    assertTrue(actual.matches("value \\[threw java\\.lang\\.(NullPointerException|IllegalStateException)"
        + " in java\\.util\\.zip\\.Inflater\\b.*"),
        () -> "the closed owner's Inflater must be ended, got " + actual);
    assertEquals(List.of(), SiteCatalogueTest.errors(loader));
    int[] counts = counts(loader);
    assertEquals(1, counts[1], "the other reader got the closed reader's array from the pool");
    assertEquals(2, counts[2], "released once by each close()");
  }

  /**
   * In the rewritten release method, the codec is ended before the buffer is released: on every
   * path to a return, an {@code end()} of the codec's type comes before each
   * {@code Rebyte.release}, and the rewrite added one per return (the original may end it itself).
   */
  @ParameterizedTest(name = "{0}.close() ends its {1} first")
  @MethodSource("codecOwners")
  void releaseMethodEndsTheCodecBeforeTheRelease(Class<?> owner, String codecType) {
    MethodNode original = method(FixtureLoader.bytesOf(owner.getName()), "close", "()V");
    MethodNode rewritten = method(on(owner.getName()).bytes(), "close", "()V");
    String listing = listing(rewritten);
    int releases = 0;
    boolean ended = false;
    for (AbstractInsnNode insn = rewritten.instructions.getFirst(); insn != null; insn = insn.getNext()) {
      if (isCall(insn, codecType, "end")) {
        ended = true;
      } else if (isCall(insn, SiteRewriter.RUNTIME, "release")) {
        releases++;
        assertTrue(ended, () -> "Rebyte.release before " + codecType + ".end():\n" + listing);
      } else if (insn.getOpcode() >= Opcodes.IRETURN && insn.getOpcode() <= Opcodes.RETURN) {
        ended = false; // the next path starts here
      }
    }
    assertEquals(returns(original), releases, () -> "one release per return:\n" + listing);
    assertEquals(calls(original, codecType, "end") + returns(original), calls(rewritten, codecType, "end"),
        () -> "the rewrite ends the codec once before each return:\n" + listing);
  }

  static Stream<Object[]> codecOwners() {
    return Stream.of(
        new Object[] {InflatingReader.class, "java/util/zip/Inflater"},
        new Object[] {InflaterLeftOpen.class, "java/util/zip/Inflater"},
        new Object[] {DeflatingWriter.class, "java/util/zip/Deflater"});
  }

  private static MethodNode method(byte[] classFile, String name, String descriptor) {
    ClassNode node = new ClassNode();
    new ClassReader(classFile).accept(node, 0);
    return node.methods.stream().filter(m -> m.name.equals(name) && m.desc.equals(descriptor))
        .findFirst().orElseThrow();
  }

  private static boolean isCall(AbstractInsnNode insn, String owner, String name) {
    return insn instanceof MethodInsnNode && ((MethodInsnNode) insn).owner.equals(owner)
        && ((MethodInsnNode) insn).name.equals(name);
  }

  private static long calls(MethodNode m, String owner, String name) {
    return Stream.of(m.instructions.toArray()).filter(i -> isCall(i, owner, name)).count();
  }

  private static int returns(MethodNode m) {
    return (int) Stream.of(m.instructions.toArray())
        .filter(i -> i.getOpcode() >= Opcodes.IRETURN && i.getOpcode() <= Opcodes.RETURN).count();
  }

  private static String listing(MethodNode m) {
    Textifier text = new Textifier();
    m.accept(new TraceMethodVisitor(text));
    StringWriter out = new StringWriter();
    text.print(new PrintWriter(out));
    return out.toString();
  }

  /** acquires, hits, releases, observes, rounded hits, ownerLock calls, foreign releases. */
  private static int[] counts(ClassLoader loader) throws Exception {
    return (int[]) loader.loadClass("dev.rebyte.runtime.Rebyte").getMethod("counts").invoke(null);
  }

  private static int[] siteCounts(ClassLoader loader, int site) throws Exception {
    return (int[]) loader.loadClass("dev.rebyte.runtime.Rebyte").getMethod("siteCounts", int.class)
        .invoke(null, site);
  }
}
