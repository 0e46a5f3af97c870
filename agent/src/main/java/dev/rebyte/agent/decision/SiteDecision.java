package dev.rebyte.agent.decision;

import dev.rebyte.runtime.SiteMode;
import java.util.Objects;

/**
 * One {@code new byte[n]} site ({@link #location()}) and what was decided about it: pooled or not
 * ({@link #decision()}, {@link #reason()}), and for a pooled site its size mode ({@link #mode()}:
 * exact or rounded) and why ({@link #rounding()}, {@link #roundingDetail()}). Immutable; built by
 * one factory per outcome ({@link #pooled}, {@link #rejected}, {@link #skipped}, {@link #owned},
 * {@link #allocator}); {@link #withSiteId}, {@link #withOutcome} and {@link #withRounding} return
 * copies.
 */
public final class SiteDecision {
  private final SiteLocation location;
  private final Decision decision;
  private final Reason reason;
  private final String detail;
  private final int reasonLine;
  private final int siteId;
  private final SiteMode mode;
  private final Rounding rounding;
  private final String roundingDetail;
  private final String ownerField;

  private SiteDecision(SiteLocation location, Decision decision, Reason reason, String detail,
      int reasonLine, int siteId, SiteMode mode, Rounding rounding, String roundingDetail,
      String ownerField) {
    this.location = Objects.requireNonNull(location, "location");
    this.decision = Objects.requireNonNull(decision, "decision");
    this.reason = Objects.requireNonNull(reason, "reason");
    this.detail = detail == null ? "" : detail;
    this.reasonLine = reasonLine;
    this.siteId = siteId;
    this.mode = Objects.requireNonNull(mode, "mode");
    this.rounding = Objects.requireNonNull(rounding, "rounding");
    this.roundingDetail = roundingDetail == null ? "" : roundingDetail;
    this.ownerField = ownerField == null ? "" : ownerField;
  }

  private static SiteDecision of(SiteLocation at, Decision decision, Reason reason, String detail,
      int reasonLine) {
    return new SiteDecision(at, decision, reason, detail, reasonLine, -1, SiteMode.EXACT,
        decision == Decision.POOLED ? Rounding.DISABLED : Rounding.NOT_POOLED, "", "");
  }

  /** Accepted by the analysis, EXACT until {@link #withRounding} says otherwise. */
  public static SiteDecision pooled(SiteLocation at, Reason reason) {
    return of(at, Decision.POOLED, reason, "", -1);
  }

  /**
   * Accepted, with what the reason is about: for ALLOCATOR_RESULT and ALLOCATOR the allocator's key
   * {@code owner.name+desc}.
   */
  public static SiteDecision pooled(SiteLocation at, Reason reason, String detail) {
    return of(at, Decision.POOLED, reason, detail, -1);
  }

  /**
   * Rejected: the array may escape (or be live when the site runs again).
   *
   * @param detail what the reason is about (e.g. {@code java/io/ByteArrayInputStream.<init>([B)V})
   * @param reasonLine source line of the offending instruction, -1 if none or unknown
   */
  public static SiteDecision rejected(SiteLocation at, Reason reason, String detail, int reasonLine) {
    return of(at, Decision.REJECTED, reason, detail, reasonLine);
  }

  /** Not analysed or not rewritten for a reason unrelated to escape (size, budget, failure...). */
  public static SiteDecision skipped(SiteLocation at, Reason reason, String detail) {
    return of(at, Decision.SKIPPED, reason, detail, -1);
  }

  /** An owner-scoped buffer's site: pooled OWNED_BY_INSTANCE, mode OWNED, released by its owner. */
  public static SiteDecision owned(SiteLocation at, String detail) {
    return of(at, Decision.POOLED, Reason.OWNED_BY_INSTANCE, detail, -1).withRounding(Rounding.OWNED, "");
  }

  /** An allocator method as a site of its own: pooled ALLOCATOR, mode ALLOCATOR. */
  public static SiteDecision allocator(Allocator a) {
    return of(new SiteLocation(a.owner.replace('/', '.'), a.name, a.desc, a.line, a.constantLength),
        Decision.POOLED, Reason.ALLOCATOR, "", -1).withRounding(Rounding.ALLOCATOR, "");
  }

  /** Where the site is. */
  public SiteLocation location() { return location; }

  /** Dotted class name, e.g. {@code com.acme.io.Copier}. */
  public String className() { return location.className(); }

  public String methodName() { return location.methodName(); }

  public String methodDescriptor() { return location.methodDescriptor(); }

  /** Source line of the allocation, -1 if unknown. */
  public int line() { return location.line(); }

  /** The length when it is a compile-time constant, else -1. */
  public int constantLength() { return location.constantLength(); }

  public Decision decision() { return decision; }

  public Reason reason() { return reason; }

  /** What the reason is about, e.g. {@code java/io/ByteArrayInputStream.<init>([B)V}; may be "". */
  public String detail() { return detail; }

  /** Source line of the offending instruction, -1 when none or unknown. */
  public int reasonLine() { return reasonLine; }

  /** The runtime's id for the site, -1 unless it was registered. */
  public int siteId() { return siteId; }

  /**
   * How the site uses the pool: {@link SiteMode#ROUNDED} (any array of its length's class, capacity
   * never observable), {@link SiteMode#EXACT} (exactly its length; also for sites that are not pooled)
   * or {@link SiteMode#OBSERVED} (observe mode).
   */
  public SiteMode mode() { return mode; }

  /** Why the site is rounded or exact; {@link Rounding#NOT_POOLED} for sites that are not pooled. */
  public Rounding rounding() { return rounding; }

  /** What the rounding code is about (a call, a count of bounded uses...); may be "". */
  public String roundingDetail() { return roundingDetail; }

  /**
   * The instance field of {@link #className()} the site's array is stored into, when that field was
   * examined as an owner-scoped buffer (pooled, off, or rejected with a FIELD_/OWNER_ reason); "" otherwise.
   */
  public String ownerField() { return ownerField; }

  /** A copy with the given site id. */
  public SiteDecision withSiteId(int id) {
    return new SiteDecision(location, decision, reason, detail, reasonLine, id, mode, rounding,
        roundingDetail, ownerField);
  }

  /**
   * A copy with another decision and reason (detail and reason line kept). Turning the site into
   * REJECTED or SKIPPED also makes it EXACT, NOT_POOLED; OBSERVED keeps the rounding code (what the
   * site would be) with mode OBSERVED.
   */
  public SiteDecision withOutcome(Decision newDecision, Reason newReason) {
    boolean pooled = newDecision == Decision.POOLED || newDecision == Decision.OBSERVED;
    SiteMode newMode = newDecision == Decision.OBSERVED ? SiteMode.OBSERVED
        : pooled ? mode : SiteMode.EXACT;
    return new SiteDecision(location, newDecision, newReason, detail, reasonLine, siteId, newMode,
        pooled ? rounding : Rounding.NOT_POOLED, pooled ? roundingDetail : "", ownerField);
  }

  /** A copy with another reason and detail, decision and everything else kept. */
  public SiteDecision withReason(Reason newReason, String newDetail) {
    return new SiteDecision(location, decision, newReason, newDetail, reasonLine, siteId, mode,
        rounding, roundingDetail, ownerField);
  }

  /** A copy with the given size mode (EXACT or ROUNDED, as {@code rounding} says) and its reason. */
  public SiteDecision withRounding(Rounding newRounding, String newDetail) {
    SiteMode newMode = newRounding == Rounding.ALLOCATOR ? SiteMode.ALLOCATOR
        : newRounding == Rounding.OWNED ? SiteMode.OWNED
        : newRounding.rounded() ? SiteMode.ROUNDED : SiteMode.EXACT;
    return new SiteDecision(location, decision, reason, detail, reasonLine, siteId, newMode,
        newRounding, newDetail, ownerField);
  }

  /** A copy naming the field the array is stored into (see {@link #ownerField()}). */
  public SiteDecision withOwnerField(String field) {
    return new SiteDecision(location, decision, reason, detail, reasonLine, siteId, mode, rounding,
        roundingDetail, field);
  }

  @Override
  public String toString() {
    return location + " " + decision + " "
        + reason + (detail.isEmpty() ? "" : " " + detail) + (reasonLine < 0 ? "" : " @" + reasonLine)
        + (siteId < 0 ? "" : " #" + siteId)
        + (mode == SiteMode.ROUNDED ? " ROUNDED " + rounding : "");
  }
}
