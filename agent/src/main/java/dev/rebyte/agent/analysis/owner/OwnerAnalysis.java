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
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
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
 *                         it, nor after a store that replaces it; a call may when it is in the
 *                         release set, or may reach it through this object (reach.CallRisk: an
 *                         overridable, interface or super call on this, a call passing this, any
 *                         unknown callee once the class lets this escape)
 * NO_RELEASE_POINT        the class declares close()V and is Closeable/AutoCloseable, or declares a
 *                         method named in rebyte.owner.release
 * </pre>
 */
public final class OwnerAnalysis {
  /*
   * Mechanism, one class per step (its block comment says how). FieldState holds a field's facts
   * and its first reject, which stays: the order of the steps is part of the contract.
   *  1. Candidates: non-static [B fields that some PUTFIELD of this class stores into. None: done.
   *  2. Class checks (ClassChecks): the class's supertypes, string constants and nestmates.
   *  3. Method scan (MethodScan): per method that reads or writes a candidate, the escapes of its
   *     values, its stores, and the tracked arrays alive at calls and after stores (AlivePoint).
   *  4. Codecs (CodecFields): an array handed to an Inflater/Deflater the object owns.
   *  5. Release points (ReleasePoints): the release methods, the calls that may release or replace
   *     an owned array, and the copies alive across them.
   *  6. Verdicts: each field's first reject, or OWNED_BY_INSTANCE / OWNERS_DISABLED, as the Result.
   *  What this does not see: a copy kept in another thread's frame while close() runs (closing an
   *  object that another thread is using), and callbacks into close() from code the class calls
   *  that got `this` from outside the class -- its callers or subclasses (a stream that closes its
   *  caller). Both are documented limits of rebyte.owners, which is off by default. A callback
   *  through a reference the class itself gave away is seen (reach.CallRisk).
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
      OwnedField field = site.kind() == AnalyzedSite.Kind.NEWARRAY
          ? fieldOfSite.get(site.instruction()) : null;
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
    ReleasePoints releasePoints = new ReleasePoints(c, release, checks.closeable(), files);
    checks.check(fields, mayUnfinal);
    CodecFields codecs = new CodecFields(c);
    MethodScan scan = new MethodScan(analyzer, c, fields, codecs, callees);
    for (MethodNode m : c.methods) {
      scan.scan(m);
    }
    scan.finish();
    codecs.finish();
    codecs.checkInputs(fields.values());
    releasePoints.check(fields.values(), scan);
    return Verdicts.of(c, fields.values(), enabled, releasePoints.methods(), codecs);
  }
}
