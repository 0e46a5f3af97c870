package dev.rebyte.agent.transform;

import dev.rebyte.agent.decision.Reason;
import dev.rebyte.agent.decision.SiteDecision;
import java.util.List;

/** What {@link ClassTransformer#transform} did to one class file. Immutable. */
public final class TransformResult {
  private final String className;
  private final byte[] bytes;
  private final boolean changed;
  private final List<SiteDecision> sites;
  private final Throwable failure;
  private final Reason classReason;

  private TransformResult(String className, byte[] bytes, boolean changed, List<SiteDecision> sites,
      Throwable failure, Reason classReason) {
    this.className = className;
    this.bytes = bytes;
    this.changed = changed;
    this.sites = List.copyOf(sites);
    this.failure = failure;
    this.classReason = classReason;
  }

  /** The rewritten class file and every site. */
  static TransformResult changed(String className, byte[] bytes, List<SiteDecision> sites) {
    return new TransformResult(className, bytes, true, sites, null, null);
  }

  /** The input itself; {@code failure} and {@code classReason} null when nothing was to be done. */
  static TransformResult unchanged(String className, byte[] classFile, List<SiteDecision> sites,
      Throwable failure, Reason classReason) {
    return new TransformResult(className, classFile, false, sites, failure, classReason);
  }

  /** Whether {@link #bytes()} differ from the input (at least one site was pooled or observed). */
  public boolean changed() { return changed; }

  /** The rewritten class file, or the input array itself when unchanged. */
  public byte[] bytes() { return bytes; }

  /**
   * Every {@code new byte[n]} site of the methods the filter selected: first the ones left alone
   * (rejected, skipped), then the pooled or observed ones, each group in class-file order.
   */
  public List<SiteDecision> sites() { return sites; }

  /** The throwable caught when the transformer failed open; null otherwise. */
  public Throwable failure() { return failure; }

  /** Dotted class name, or null if the class file could not even be parsed. */
  public String className() { return className; }

  /**
   * Why the class as a whole was left unchanged: {@link Reason#UNSUPPORTED_CLASS},
   * {@link Reason#METHOD_TOO_LARGE}, {@link Reason#TYPE_UNRESOLVED},
   * {@link Reason#REWRITE_UNVERIFIABLE}, {@link Reason#REWRITE_FAILED},
   * {@link Reason#ANALYSIS_FAILED}; null when the class was processed normally (changed or not).
   */
  public Reason classReason() { return classReason; }

  @Override
  public String toString() {
    return "TransformResult[" + className + (changed ? " changed" : " unchanged") + ", "
        + sites.size() + " sites" + (classReason == null ? "" : ", " + classReason)
        + (failure == null ? "" : ", failure=" + failure) + "]";
  }
}
