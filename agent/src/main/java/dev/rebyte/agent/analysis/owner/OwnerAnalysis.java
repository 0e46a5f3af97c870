package dev.rebyte.agent.analysis.owner;

import dev.rebyte.agent.analysis.EscapeAnalyzer;
import dev.rebyte.agent.analysis.callee.Callees;
import dev.rebyte.agent.classfile.ClassFiles;
import dev.rebyte.agent.decision.AnalyzedSite;
import dev.rebyte.agent.decision.Decision;
import dev.rebyte.agent.decision.OwnedField;
import dev.rebyte.agent.decision.Reason;
import dev.rebyte.agent.decision.SiteDecision;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

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
   *  3. Method scan (MethodScan): per method that reads or writes a candidate, the escapes of its
   *     values, its stores, and the tracked arrays alive at calls and after stores (AlivePoint).
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
    MethodScan scan = new MethodScan(analyzer, c, fields, codecs, callees);
    for (MethodNode m : c.methods) {
      scan.scan(m);
    }
    scan.finish();
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
    Set<String> r = releaseSet(c, releaseMethods, scan.storing());
    for (AlivePoint a : scan.alive()) {
      if (a.call != null && !matches(a.call, r, releaseMethods, c.name)) {
        continue;
      }
      for (Tracked id : a.ids) {
        for (FieldState f : scan.owners(id)) {
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
}
