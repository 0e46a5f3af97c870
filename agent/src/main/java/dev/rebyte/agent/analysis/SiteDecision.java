package dev.rebyte.agent.analysis;

import java.util.Objects;

/**
 * One {@code new byte[n]} site and what was decided about it. Immutable; {@link #withSiteId} and
 * {@link #withOutcome} return copies.
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

  /** A copy with the given site id. */
  public SiteDecision withSiteId(int id) {
    return new SiteDecision(className, methodName, methodDescriptor, line, constantLength, decision,
        reason, detail, reasonLine, id);
  }

  /** A copy with another decision and reason (detail and reason line kept). */
  public SiteDecision withOutcome(Decision newDecision, Reason newReason) {
    return new SiteDecision(className, methodName, methodDescriptor, line, constantLength,
        newDecision, newReason, detail, reasonLine, siteId);
  }

  @Override
  public String toString() {
    return className + "." + methodName + methodDescriptor + ":" + line + " " + decision + " "
        + reason + (detail.isEmpty() ? "" : " " + detail) + (reasonLine < 0 ? "" : " @" + reasonLine)
        + (siteId < 0 ? "" : " #" + siteId);
  }
}
