package dev.rebyte.agent.analysis.owner;

import dev.rebyte.agent.analysis.EscapeAnalyzer;
import dev.rebyte.agent.analysis.callee.Callees;
import dev.rebyte.agent.analysis.flow.ControlFlow;
import dev.rebyte.agent.analysis.flow.EscapeUses;
import dev.rebyte.agent.analysis.flow.LocalLiveness;
import dev.rebyte.agent.analysis.flow.SiteInterpreter;
import dev.rebyte.agent.analysis.flow.SiteValue;
import dev.rebyte.agent.classfile.ClassFiles;
import dev.rebyte.agent.decision.AnalyzedSite;
import dev.rebyte.agent.decision.Decision;
import dev.rebyte.agent.decision.OwnedField;
import dev.rebyte.agent.decision.Reason;
import dev.rebyte.agent.decision.SiteDecision;
import dev.rebyte.agent.decision.SiteLocation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Finds the owner-scoped buffers of one class: {@code byte[]} instance fields that belong to their
 * object, so that the arrays stored into them can be acquired from the pool and released when the
 * object is closed. Decides; emits nothing (the rewrite is {@code OwnerRewriter}). Stateless.
 *
 * <p>A field is owner-scoped when all of these hold, checked in this order (the first that fails
 * is the field's reason):
 * <pre>
 * FIELD_NOT_PRIVATE       private and not static
 * OWNER_CLONEABLE         the class is not Cloneable (a shallow copy would share the array)
 * OWNER_SERIALIZABLE      transient, or the class is not Serializable
 * FIELD_FINAL             not final, or final in a class file the rewrite may make non-final
 *                         (before Java 9; or when classes are transformed as they load, not retransformed)
 * FIELD_REFLECTED         no string constant of the class equals the field's name
 * FIELD_USED_BY_NESTMATE  no nestmate (inner, outer, sibling class) reads or writes it
 * FIELD_ESCAPES           every value read from it has only non-escaping uses (EscapeUses, with
 *                         callee summaries), and every array stored into it has no use other than
 *                         the store and non-escaping ones
 * FIELD_NOT_FRESH         every store is this.f = (new byte[n] of this class | null), after the super
 *                         constructor call; one array goes to one field
 *                         -- except setInput of an Inflater/Deflater the object owns (CodecFields),
 *                         which close() then ends
 * LIVE_ACROSS_RELEASE     no copy of its array is live across a call that may release or replace
 *                         it, nor after a store that replaces it
 * NO_RELEASE_POINT        the class declares close()V and is Closeable/AutoCloseable, or declares a
 *                         method named in rebyte.owner.release
 * </pre>
 */
public final class OwnerAnalysis {
  /*
   * Mechanism:
   *  1. Candidates: non-static [B fields that some PUTFIELD of this class stores into. None: done.
   *  2. Class checks (ClassChecks): the class's supertypes, string constants and nestmates.
   *  3. Per method that reads or writes a candidate: one forward pass (SiteInterpreter) in which
   *     id 0 is `this` (instance methods), every NEWARRAY T_BYTE has an id, and every GETFIELD of
   *     candidate f has f's id (all reads of one field share it). EscapeUses judges every use:
   *     an escape of a field id rejects the field; an escape of a NEWARRAY other than a PUTFIELD
   *     into a candidate is remembered against that array. Each PUTFIELD into a candidate is then
   *     checked (receiver certainly `this`; value certainly fresh arrays, or the constant null),
   *     and the ids still alive after it are kept (stack below its operands, locals live there:
   *     LocalLiveness), as are the ids alive at every call (whole stack, live locals).
   *  4. Release set R: the release methods, every non-constructor method that stores into a
   *     candidate (a store releases the old array), and, to a fixpoint, every method of the class
   *     that calls a member of R (same name and descriptor, on this class -- or on any type for the
   *     release methods themselves, e.g. Closeable.close()). Any call matching R with a copy of
   *     the field's array alive (held in a live local or on the stack, operands included) means
   *     that copy may be used after its release: LIVE_ACROSS_RELEASE. So does a store after which
   *     the old array is still alive (the stored array itself excepted, when its NEWARRAY is not
   *     on a cycle: then the only array of that site alive is the one just stored).
   *  What this does not see: a copy kept in another thread's frame while close() runs (closing an
   *  object that another thread is using), and callbacks into close() from code the class calls
   *  with its buffer (a stream that closes its caller). Both are documented limits of
   *  rebyte.owners, which is off by default.
   */
  /** What the rewrite needs to know about one class. */
  public static final class Result {
    /** No owned field. */
    public static final Result NONE = new Result(List.of(), Map.of(), List.of(), Map.of());

    private final List<OwnedField> fields;
    private final Map<AbstractInsnNode, OwnedField> fieldOfSite;
    private final List<String> releaseMethods;
    private final Map<String, String> codecsToEnd;

    Result(List<OwnedField> fields, Map<AbstractInsnNode, OwnedField> fieldOfSite,
        List<String> releaseMethods, Map<String, String> codecsToEnd) {
      this.fields = fields;
      this.fieldOfSite = fieldOfSite;
      this.releaseMethods = releaseMethods;
      this.codecsToEnd = codecsToEnd;
    }

    /**
     * The Inflater/Deflater fields a pooled buffer is handed to by {@code setInput}: field name to
     * its type's internal name. The release methods end them before releasing the buffers.
     */
    public Map<String, String> codecsToEnd() { return codecsToEnd; }

    /** Every field some {@code new byte[n]} of the class is stored into, with its verdict. */
    public List<OwnedField> fields() { return fields; }

    /** The field the array of this {@code NEWARRAY} is stored into, or null. */
    public OwnedField fieldOf(AbstractInsnNode newarray) { return fieldOfSite.get(newarray); }

    /** The fields to rewrite: pooled ones. */
    public List<OwnedField> pooled() {
      List<OwnedField> out = new ArrayList<>();
      for (OwnedField f : fields) {
        if (f.pooled()) {
          out.add(f);
        }
      }
      return out;
    }

    /**
     * The site as seen with its class's fields: a {@code new byte[n]} that the one-method analysis
     * rejected as STORED_IN_FIELD and whose array goes into a candidate field becomes OWNED and
     * accepted when the field is pooled, or takes the field's reason otherwise. Any other site is
     * returned as it is.
     */
    public AnalyzedSite revise(AnalyzedSite site) {
      SiteDecision d = site.decision();
      OwnedField field = site.kind() == AnalyzedSite.Kind.NEWARRAY ? fieldOfSite.get(site.instruction()) : null;
      if (field == null || d.decision() != Decision.REJECTED || d.reason() != Reason.STORED_IN_FIELD) {
        return site;
      }
      if (!field.pooled()) {
        return new AnalyzedSite(AnalyzedSite.Kind.NEWARRAY, site.instruction(), null,
            SiteDecision.rejected(d.location(), field.verdict(), field.detail(), d.reasonLine())
                .withOwnerField(field.name()),
            false, List.of());
      }
      SiteDecision owned = SiteDecision.owned(d.location(), field.detail()).withOwnerField(field.name());
      return new AnalyzedSite(AnalyzedSite.Kind.OWNED, site.instruction(), null, owned, false,
          List.of(), field);
    }

    /** Whether {@code method} is a release method ({@code name+descriptor}). */
    public boolean isReleaseMethod(MethodNode method) {
      return (method.access & Opcodes.ACC_STATIC) == 0 && releaseMethods.contains(method.name + method.desc);
    }
  }

  private final EscapeAnalyzer analyzer;
  private final ClassFiles files;

  /**
   * @param analyzer supplies the trusted-method table, the budgets and the minimum size
   * @param files how to read supertypes and nestmates (no class loading)
   */
  public OwnerAnalysis(EscapeAnalyzer analyzer, ClassFiles files) {
    this.analyzer = analyzer;
    this.files = files;
  }

  /** A point where some ids (FieldState or NEWARRAY node) are alive. */
  private static final class Alive {
    final MethodInsnNode call; // null for a store
    final FieldState stored; // the field a store replaces, null for a call
    final Set<Object> ids;
    final String where;

    Alive(MethodInsnNode call, FieldState stored, Set<Object> ids, String where) {
      this.call = call;
      this.stored = stored;
      this.ids = ids;
      this.where = where;
    }
  }

  /**
   * @param enabled whether rebyte.owners selects the class (else qualifying fields are OWNERS_DISABLED)
   * @param release rebyte.owner.release entries, {@code com.acme.Codec#end}
   * @param callees the class's callee summaries, as for its methods' own analysis
   * @param mayUnfinal whether a final field of a Java 9+ class file may lose its final flag (no:
   *     when loaded classes are retransformed, which must not change their schema)
   */
  public Result analyze(ClassNode c, boolean enabled, List<String> release, Callees callees,
      boolean mayUnfinal) {
    Map<String, FieldState> fields = ClassChecks.candidates(c);
    if (fields.isEmpty()) {
      return Result.NONE;
    }
    if (callees.enabled()) {
      callees.bind(analyzer::summarize, analyzer.methods());
    }
    ClassChecks checks = new ClassChecks(c, files);
    List<String> releaseMethods = releaseMethods(c, release, checks.closeable());
    checks.check(fields, mayUnfinal);
    CodecFields codecs = new CodecFields(c);
    Map<AbstractInsnNode, Set<FieldState>> storedInto = new IdentityHashMap<>();
    Map<AbstractInsnNode, String> siteEscapes = new IdentityHashMap<>();
    List<Alive> alive = new ArrayList<>();
    Set<String> storing = new HashSet<>();
    for (MethodNode m : c.methods) {
      scan(c, m, fields, codecs, callees, storedInto, siteEscapes, alive, storing);
    }
    for (Map.Entry<AbstractInsnNode, Set<FieldState>> e : storedInto.entrySet()) {
      String escape = siteEscapes.get(e.getKey());
      for (FieldState f : e.getValue()) {
        if (e.getValue().size() > 1) {
          f.reject(Reason.FIELD_NOT_FRESH, "one array is stored into " + e.getValue().size() + " fields");
        } else if (escape != null) {
          f.reject(Reason.FIELD_ESCAPES, "an array stored into it is also " + escape);
        }
      }
    }
    codecs.finish();
    for (FieldState f : fields.values()) {
      for (CodecFields.Field g : codecs.inputsOf(f)) {
        String use = codecs.inputDetail(f);
        if (g.why != null) {
          f.reject(Reason.FIELD_ESCAPES, use + " (the " + simple(g.type) + " in field " + g.node.name + " " + g.why + ")");
        } else if (f.replacedLater) {
          f.reject(Reason.FIELD_ESCAPES, use + " (and the field is replaced outside constructors while the "
              + simple(g.type) + " in field " + g.node.name + " may still read the old array)");
        }
      }
    }
    Set<String> r = releaseSet(c, releaseMethods, storing);
    for (Alive a : alive) {
      if (a.call != null && !matches(a.call, r, releaseMethods, c.name)) {
        continue;
      }
      for (Object id : a.ids) {
        for (FieldState f : owners(id, storedInto)) {
          if (a.call != null) {
            f.reject(Reason.LIVE_ACROSS_RELEASE, a.where + " keeps a copy of " + f.node.name
                + " across a call to " + a.call.name + a.call.desc + ", which may release or replace it");
          } else if (f == a.stored) {
            f.reject(Reason.LIVE_ACROSS_RELEASE, a.where + " still holds the old array of "
                + f.node.name + " after replacing it");
          }
        }
      }
    }
    List<OwnedField> out = new ArrayList<>();
    Map<AbstractInsnNode, OwnedField> bySite = new IdentityHashMap<>();
    List<FieldState> pooled = new ArrayList<>();
    for (FieldState f : fields.values()) {
      if (f.sites.isEmpty() || f.first == null) {
        continue; // never given a fresh array of a size worth pooling: not a candidate
      }
      if (releaseMethods.isEmpty()) {
        f.reject(Reason.NO_RELEASE_POINT, "the class has no close() of its own and no rebyte.owner.release method");
      }
      Reason verdict = f.reason != null ? f.reason : enabled ? Reason.OWNED_BY_INSTANCE : Reason.OWNERS_DISABLED;
      List<String> ends = new ArrayList<>();
      for (CodecFields.Field g : codecs.inputsOf(f)) {
        ends.add(g.node.name);
      }
      OwnedField owned = new OwnedField(c.name, f.node.name, verdict, f.why, releaseMethods, f.bytes,
          f.first, ends);
      out.add(owned);
      if (owned.pooled()) {
        pooled.add(f);
      }
      for (AbstractInsnNode site : f.sites) {
        bySite.put(site, owned);
      }
    }
    Map<String, String> ends = new LinkedHashMap<>();
    for (CodecFields.Field g : codecs.toEnd(pooled)) {
      ends.put(g.node.name, g.type);
    }
    return out.isEmpty() ? Result.NONE : new Result(out, bySite, releaseMethods, ends);
  }

  private static String simple(String internalName) {
    return internalName.substring(internalName.lastIndexOf('/') + 1);
  }

  /** The release methods the class declares, {@code name+descriptor}. */
  private static List<String> releaseMethods(ClassNode c, List<String> configured, boolean closeable) {
    List<String> out = new ArrayList<>();
    String dotted = c.name.replace('/', '.');
    for (MethodNode m : c.methods) {
      if ((m.access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0
          || m.instructions.size() == 0) {
        continue;
      }
      boolean close = closeable && m.name.equals("close") && m.desc.equals("()V");
      if ((close || configured.contains(dotted + "#" + m.name)) && !storesThis(m)) {
        out.add(m.name + m.desc);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Whether the method overwrites local 0 (then the release code could not find {@code this}). */
  private static boolean storesThis(MethodNode m) {
    for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
      if (insn.getOpcode() == Opcodes.ASTORE && ((org.objectweb.asm.tree.VarInsnNode) insn).var == 0) {
        return true;
      }
    }
    return false;
  }

  /** Step 3 for one method. */
  private void scan(ClassNode c, MethodNode m, Map<String, FieldState> fields, CodecFields codecs,
      Callees callees, Map<AbstractInsnNode, Set<FieldState>> storedInto,
      Map<AbstractInsnNode, String> siteEscapes, List<Alive> alive, Set<String> storing) {
    InsnList insns = m.instructions;
    boolean instance = (m.access & Opcodes.ACC_STATIC) == 0;
    Map<AbstractInsnNode, Integer> index = new IdentityHashMap<>();
    List<Object> keyOf = new ArrayList<>(); // id -> FieldState, NEWARRAY node, or "this"
    if (instance) {
      keyOf.add("this");
    }
    Map<Object, Integer> fieldIds = new HashMap<>();
    Set<FieldState> touched = new LinkedHashSet<>();
    Set<CodecFields.Field> touchedCodecs = new LinkedHashSet<>();
    boolean jsr = false;
    for (AbstractInsnNode insn = insns.getFirst(); insn != null; insn = insn.getNext()) {
      int op = insn.getOpcode();
      jsr |= op == Opcodes.JSR || op == Opcodes.RET;
      if (op == Opcodes.NEWARRAY && ((IntInsnNode) insn).operand == Opcodes.T_BYTE) {
        index.put(insn, keyOf.size());
        keyOf.add(insn);
      } else if (op == Opcodes.NEW && !codecs.isEmpty()
          && CodecFields.TYPES.contains(((org.objectweb.asm.tree.TypeInsnNode) insn).desc)) {
        index.put(insn, keyOf.size());
        keyOf.add(new CodecFields.Fresh(insn));
      } else if ((op == Opcodes.GETFIELD || op == Opcodes.PUTFIELD)
          && ((FieldInsnNode) insn).owner.equals(c.name)
          && codecs.field(((FieldInsnNode) insn).name) != null) {
        CodecFields.Field g = codecs.field(((FieldInsnNode) insn).name);
        touchedCodecs.add(g);
        if (op == Opcodes.GETFIELD) {
          index.put(insn, fieldIds.computeIfAbsent(g, k -> {
            keyOf.add(k);
            return keyOf.size() - 1;
          }));
        }
      } else if ((op == Opcodes.GETFIELD || op == Opcodes.PUTFIELD)
          && ((FieldInsnNode) insn).owner.equals(c.name)) {
        FieldState f = fields.get(((FieldInsnNode) insn).name);
        if (f != null) {
          touched.add(f);
          if (op == Opcodes.GETFIELD) {
            Integer id = fieldIds.get(f);
            if (id == null) {
              id = keyOf.size();
              keyOf.add(f);
              fieldIds.put(f, id);
            }
            index.put(insn, id);
          }
        }
      }
    }
    if (touched.isEmpty() && touchedCodecs.isEmpty()) {
      return;
    }
    String where = m.name + m.desc;
    if (jsr || analyzer.overBudget(m)) {
      for (FieldState f : touched) {
        f.reject(Reason.FIELD_ESCAPES, where + (jsr ? " uses JSR/RET" : " is over the analysis budget"));
      }
      for (CodecFields.Field g : touchedCodecs) {
        g.reject("is used by " + where + ", which is not analysed");
      }
      return;
    }
    Frame<SiteValue>[] frames;
    try {
      frames = new Analyzer<>(new SiteInterpreter(index, instance ? Map.of(0, 0) : Map.of()))
          .analyze(c.name, m);
    } catch (Exception e) {
      for (FieldState f : touched) {
        f.reject(Reason.FIELD_ESCAPES, "the analysis of " + where + " failed: " + e.getMessage());
      }
      for (CodecFields.Field g : touchedCodecs) {
        g.reject("is used by " + where + ", whose analysis failed");
      }
      return;
    }
    int[] lines = EscapeAnalyzer.lines(insns);
    new EscapeUses(analyzer.methods(), callees, instance ? 0 : -1).scan(insns, frames, (value, reason, detail, at) -> {
      AbstractInsnNode insn = insns.get(at);
      boolean store = insn.getOpcode() == Opcodes.PUTFIELD && ((FieldInsnNode) insn).owner.equals(c.name);
      boolean candidateStore = store && fields.containsKey(((FieldInsnNode) insn).name);
      boolean codecStore = store && codecs.field(((FieldInsnNode) insn).name) != null;
      int operand = operand(frames[at], value, insn);
      boolean codecCall = insn instanceof MethodInsnNode
          && CodecFields.TYPES.contains(((MethodInsnNode) insn).owner);
      boolean codecReceiver = codecCall && insn.getOpcode() != Opcodes.INVOKESTATIC && operand == 0;
      CodecFields.Field inputOf = codecCall && operand == 1
          && ((MethodInsnNode) insn).name.equals("setInput") ? codecOf(frames[at], insn, keyOf) : null;
      String what = reason + (detail.isEmpty() ? "" : " " + detail) + " in " + where + at(lines[at]);
      for (int s : value.sites()) {
        Object key = keyOf.get(s);
        if (key instanceof CodecFields.Field) {
          if (!codecReceiver) {
            ((CodecFields.Field) key).reject("is " + what);
          }
        } else if (key instanceof CodecFields.Fresh) {
          CodecFields.Fresh fresh = (CodecFields.Fresh) key;
          if (!codecReceiver && !codecStore && fresh.escape == null) {
            fresh.escape = what;
          }
        } else if (key instanceof FieldState) {
          if (inputOf != null) {
            codecs.input(key, inputOf, what);
          } else {
            ((FieldState) key).reject(Reason.FIELD_ESCAPES, what);
          }
        } else if (key instanceof AbstractInsnNode && !candidateStore) {
          siteEscapes.putIfAbsent((AbstractInsnNode) key, what);
        }
      }
    });
    ControlFlow cfg = ControlFlow.of(m);
    LocalLiveness liveness = LocalLiveness.of(insns, cfg);
    int superCall = "<init>".equals(m.name) ? superCall(insns, frames) : -1;
    for (int i = 0; i < frames.length; i++) {
      Frame<SiteValue> f = frames[i];
      AbstractInsnNode insn = insns.get(i);
      if (f == null) {
        continue;
      }
      if (insn instanceof MethodInsnNode) {
        Set<Object> ids = aliveIds(f, 0, i, liveness, keyOf, Set.of());
        if (!ids.isEmpty()) {
          alive.add(new Alive((MethodInsnNode) insn, null, ids, where + at(lines[i])));
        }
        continue;
      }
      if (insn.getOpcode() != Opcodes.PUTFIELD || !((FieldInsnNode) insn).owner.equals(c.name)) {
        continue;
      }
      String here = where + at(lines[i]);
      SiteValue value = f.getStack(f.getStackSize() - 1);
      SiteValue receiver = f.getStack(f.getStackSize() - 2);
      CodecFields.Field codec = codecs.field(((FieldInsnNode) insn).name);
      if (codec != null) {
        Object k = value.onlySite() >= 0 ? keyOf.get(value.onlySite()) : null;
        if (!instance || receiver.onlySite() != 0) {
          codec.reject("is stored into an object other than this in " + here);
        } else if (k instanceof CodecFields.Fresh) {
          codec.stores.add((CodecFields.Fresh) k);
        } else if (!isNull(insn.getPrevious())) {
          codec.reject("is given a codec that is not a new one of this class in " + here);
        }
        continue;
      }
      FieldState field = fields.get(((FieldInsnNode) insn).name);
      if (field == null) {
        continue;
      }
      if (!instance || receiver.onlySite() != 0) {
        field.reject(Reason.FIELD_NOT_FRESH, "stored into an object other than this in " + here);
        continue;
      }
      if (superCall >= 0 && i < superCall) {
        field.reject(Reason.FIELD_NOT_FRESH, "stored before the super constructor call in " + here);
        continue;
      }
      if (!"<init>".equals(m.name)) {
        storing.add(m.name + m.desc);
        field.replacedLater = true;
      }
      Set<AbstractInsnNode> fresh = Collections.newSetFromMap(new IdentityHashMap<>());
      if (!isNull(insn.getPrevious())) {
        for (int s : value.sites()) {
          if (keyOf.get(s) instanceof AbstractInsnNode) {
            fresh.add((AbstractInsnNode) keyOf.get(s));
          }
        }
        if (value.mayBeForeign() || fresh.size() != value.sites().length) {
          field.reject(Reason.FIELD_NOT_FRESH, "assigned a value that is not a new byte[] of this method in " + here);
          continue;
        }
      }
      Set<Object> keep = new HashSet<>();
      for (AbstractInsnNode site : fresh) {
        storedInto.computeIfAbsent(site, k -> new LinkedHashSet<>()).add(field);
        addSite(field, site, c, m, lines[insns.indexOf(site)]);
        if (!cfg.onCycle(insns.indexOf(site))) {
          keep.add(site); // the array just stored, the only one of its site alive here
        }
      }
      Set<Object> ids = aliveIds(f, 2, i, liveness, keyOf, keep);
      if (!ids.isEmpty()) {
        alive.add(new Alive(null, field, ids, here));
      }
    }
  }

  private void addSite(FieldState field, AbstractInsnNode site, ClassNode c, MethodNode m, int line) {
    int length = EscapeAnalyzer.constantLength(site.getPrevious());
    if (length >= 0 && length < analyzer.minSize()) {
      return; // left alone, like any small constant site
    }
    if (field.sites.add(site)) {
      field.bytes = length < 0 || field.bytes < 0 ? -1 : Math.max(field.bytes, length);
      if (field.first == null) {
        field.first = new SiteLocation(c.name.replace('/', '.'), m.name, m.desc, line, length);
      }
    }
  }

  /** Ids of tracked arrays on the stack (below {@code skip} top entries) or in locals live at i. */
  private static Set<Object> aliveIds(Frame<SiteValue> f, int skip, int i, LocalLiveness liveness,
      List<Object> keyOf, Set<Object> except) {
    Set<Object> out = new HashSet<>();
    for (int k = 0; k < f.getStackSize() - skip; k++) {
      collect(f.getStack(k), keyOf, except, out);
    }
    for (int l = 0; l < f.getLocals(); l++) {
      if (!f.getLocal(l).isEmpty() && liveness.isLiveBefore(i, l)) {
        collect(f.getLocal(l), keyOf, except, out);
      }
    }
    return out;
  }

  private static void collect(SiteValue v, List<Object> keyOf, Set<Object> except, Set<Object> out) {
    for (int s : v.sites()) {
      Object key = keyOf.get(s);
      if ((key instanceof FieldState || key instanceof AbstractInsnNode) && !except.contains(key)) {
        out.add(key);
      }
    }
  }

  private static Set<FieldState> owners(Object id, Map<AbstractInsnNode, Set<FieldState>> storedInto) {
    if (id instanceof FieldState) {
      return Set.of((FieldState) id);
    }
    Set<FieldState> f = storedInto.get(id);
    return f == null ? Set.of() : f;
  }

  /** Step 4: the methods that may release or replace an owned array, {@code name+descriptor}. */
  private static Set<String> releaseSet(ClassNode c, List<String> release, Set<String> storing) {
    Set<String> r = new HashSet<>(release);
    r.addAll(storing);
    boolean changed = true;
    while (changed) {
      changed = false;
      for (MethodNode m : c.methods) {
        String key = m.name + m.desc;
        if (r.contains(key) || "<init>".equals(m.name)) {
          continue;
        }
        for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
          if (insn instanceof MethodInsnNode && matches((MethodInsnNode) insn, r, release, c.name)) {
            r.add(key);
            changed = true;
            break;
          }
        }
      }
    }
    return r;
  }

  private static boolean matches(MethodInsnNode call, Set<String> r, List<String> release, String self) {
    String key = call.name + call.desc;
    return r.contains(key) && (call.owner.equals(self) || release.contains(key));
  }

  /** Index of the constructor's call to this(...) or super(...), -1 if none is found. */
  private static int superCall(InsnList insns, Frame<SiteValue>[] frames) {
    for (int i = 0; i < frames.length; i++) {
      AbstractInsnNode insn = insns.get(i);
      if (frames[i] != null && insn.getOpcode() == Opcodes.INVOKESPECIAL
          && ((MethodInsnNode) insn).name.equals("<init>")) {
        int args = org.objectweb.asm.Type.getArgumentTypes(((MethodInsnNode) insn).desc).length;
        Frame<SiteValue> f = frames[i];
        if (f.getStack(f.getStackSize() - 1 - args).onlySite() == 0) {
          return i;
        }
      }
    }
    return -1;
  }

  /** Which operand of a call {@code v} is (0: receiver or first argument), -1 if not a call operand. */
  private static int operand(Frame<SiteValue> f, SiteValue v, AbstractInsnNode insn) {
    if (!(insn instanceof MethodInsnNode) || f == null) {
      return -1;
    }
    MethodInsnNode call = (MethodInsnNode) insn;
    int n = org.objectweb.asm.Type.getArgumentTypes(call.desc).length
        + (call.getOpcode() == Opcodes.INVOKESTATIC ? 0 : 1);
    for (int k = 0; k < n; k++) {
      if (f.getStack(f.getStackSize() - n + k) == v) {
        return k;
      }
    }
    return -1;
  }

  /** The codec field whose value is certainly the receiver of this call, or null. */
  private static CodecFields.Field codecOf(Frame<SiteValue> f, AbstractInsnNode insn, List<Object> keyOf) {
    int n = org.objectweb.asm.Type.getArgumentTypes(((MethodInsnNode) insn).desc).length + 1;
    int only = f.getStack(f.getStackSize() - n).onlySite();
    Object key = only >= 0 ? keyOf.get(only) : null;
    return key instanceof CodecFields.Field ? (CodecFields.Field) key : null;
  }

  private static boolean isNull(AbstractInsnNode previous) {
    while (previous instanceof LineNumberNode || previous instanceof org.objectweb.asm.tree.FrameNode) {
      previous = previous.getPrevious(); // a label may be a jump target: it ends the search
    }
    return previous != null && previous.getOpcode() == Opcodes.ACONST_NULL;
  }

  private static String at(int line) {
    return line < 0 ? "" : " @" + line;
  }

}
