package dev.rebyte.agent.decision;

import dev.rebyte.runtime.SiteMode;
import java.util.Objects;

/**
 * One {@code new byte[n]} site and what was decided about it: pooled or not ({@link #decision()},
 * {@link #reason()}), and for a pooled site its size mode ({@link #mode()}: exact or rounded) and why
 * ({@link #rounding()}, {@link #roundingDetail()}). Immutable; {@link #withSiteId},
 * {@link #withOutcome} and {@link #withRounding} return copies.
 */
public final class SiteDecision {
  private final String className;
  private final String methodName;
  private final String methodDescriptor;
  private final int line;
  private final int constantLength;
  private final Decision decision;
  private final Reason reason;
  private final String detail;
  private final int reasonLine;
  private final int siteId;
  private final SiteMode mode;
  private final Rounding rounding;
  private final String roundingDetail;
  private final String ownerField;

  /**
   * @param className dotted class name
   * @param line source line of the allocation, -1 if unknown
   * @param constantLength the length when it is a constant, else -1
   * @param detail what the reason is about (e.g. {@code java/io/ByteArrayInputStream.<init>([B)V}), never null
   * @param reasonLine source line of the offending instruction, -1 if none or unknown
   * @param siteId the id the runtime gave the site, -1 unless registered
   */
  public SiteDecision(String className, String methodName, String methodDescriptor, int line,
      int constantLength, Decision decision, Reason reason, String detail, int reasonLine, int siteId) {
    this(className, methodName, methodDescriptor, line, constantLength, decision, reason, detail,
        reasonLine, siteId, SiteMode.EXACT,
        decision == Decision.POOLED ? Rounding.DISABLED : Rounding.NOT_POOLED, "", "");
  }

  private SiteDecision(String className, String methodName, String methodDescriptor, int line,
      int constantLength, Decision decision, Reason reason, String detail, int reasonLine, int siteId,
      SiteMode mode, Rounding rounding, String roundingDetail, String ownerField) {
    this.className = Objects.requireNonNull(className, "className");
    this.methodName = Objects.requireNonNull(methodName, "methodName");
    this.methodDescriptor = Objects.requireNonNull(methodDescriptor, "methodDescriptor");
    this.line = line;
    this.constantLength = constantLength;
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

  /** Dotted class name, e.g. {@code com.acme.io.Copier}. */
  public String className() { return className; }

  public String methodName() { return methodName; }

  public String methodDescriptor() { return methodDescriptor; }

  /** Source line of the allocation, -1 if unknown. */
  public int line() { return line; }

  /** The length when it is a compile-time constant, else -1. */
  public int constantLength() { return constantLength; }

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

  /** A copy with the given site id. */
  public SiteDecision withSiteId(int id) {
    return new SiteDecision(className, methodName, methodDescriptor, line, constantLength, decision,
        reason, detail, reasonLine, id, mode, rounding, roundingDetail, ownerField);
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
    return new SiteDecision(className, methodName, methodDescriptor, line, constantLength,
        newDecision, newReason, detail, reasonLine, siteId, newMode,
        pooled ? rounding : Rounding.NOT_POOLED, pooled ? roundingDetail : "", ownerField);
  }

  /** A copy with another reason and detail, decision and everything else kept. */
  public SiteDecision withReason(Reason newReason, String newDetail) {
    return new SiteDecision(className, methodName, methodDescriptor, line, constantLength, decision,
        newReason, newDetail, reasonLine, siteId, mode, rounding, roundingDetail, ownerField);
  }

  /** A copy with the given size mode (EXACT or ROUNDED, as {@code rounding} says) and its reason. */
  public SiteDecision withRounding(Rounding newRounding, String newDetail) {
    return new SiteDecision(className, methodName, methodDescriptor, line, constantLength, decision,
        reason, detail, reasonLine, siteId, newRounding == Rounding.ALLOCATOR ? SiteMode.ALLOCATOR
            : newRounding == Rounding.OWNED ? SiteMode.OWNED
            : newRounding.rounded() ? SiteMode.ROUNDED : SiteMode.EXACT,
        newRounding, newDetail, ownerField);
  }

  /**
   * The instance field of {@link #className()} the site's array is stored into, when that field was
   * examined as an owner-scoped buffer (pooled, off, or rejected with a FIELD_/OWNER_ reason); "" otherwise.
   */
  public String ownerField() { return ownerField; }

  /** A copy naming the field the array is stored into (see {@link #ownerField()}). */
  public SiteDecision withOwnerField(String field) {
    return new SiteDecision(className, methodName, methodDescriptor, line, constantLength, decision,
        reason, detail, reasonLine, siteId, mode, rounding, roundingDetail, field);
  }

  @Override
  public String toString() {
    return className + "." + methodName + methodDescriptor + ":" + line + " " + decision + " "
        + reason + (detail.isEmpty() ? "" : " " + detail) + (reasonLine < 0 ? "" : " @" + reasonLine)
        + (siteId < 0 ? "" : " #" + siteId)
        + (mode == SiteMode.ROUNDED ? " ROUNDED " + rounding : "");
  }
}
