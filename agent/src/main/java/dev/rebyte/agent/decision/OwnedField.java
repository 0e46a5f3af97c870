package dev.rebyte.agent.decision;

import java.util.List;

/**
 * A {@code byte[]} instance field that some {@code new byte[n]} of its class is stored into, and
 * what {@link OwnerAnalysis} decided about it: owner-scoped and pooled ({@link Reason#OWNED_BY_INSTANCE}),
 * owner-scoped but not enabled ({@link Reason#OWNERS_DISABLED}), or not owner-scoped and why.
 * Immutable.
 */
public final class OwnedField {
  private final String owner;
  private final String name;
  private final Reason verdict;
  private final String why;
  private final List<String> releaseMethods;
  private final int bytesPerInstance;
  private final SiteLocation firstSite;
  private final List<String> codecs;

  public OwnedField(String owner, String name, Reason verdict, String why, List<String> releaseMethods,
      int bytesPerInstance, SiteLocation firstSite, List<String> codecs) {
    this.codecs = List.copyOf(codecs);
    this.owner = owner;
    this.name = name;
    this.verdict = verdict;
    this.why = why == null ? "" : why;
    this.releaseMethods = List.copyOf(releaseMethods);
    this.bytesPerInstance = bytesPerInstance;
    this.firstSite = firstSite;
  }

  /** Internal name of the class that declares the field, e.g. {@code com/acme/Codec}. */
  public String owner() { return owner; }

  public String name() { return name; }

  /** OWNED_BY_INSTANCE (pooled), OWNERS_DISABLED (would be), or the reason it is not owner-scoped. */
  public Reason verdict() { return verdict; }

  /** Whether its arrays are pooled and released by the owner. */
  public boolean pooled() { return verdict == Reason.OWNED_BY_INSTANCE; }

  /** Whether the field qualifies (pooled or only reported because rebyte.owners is off). */
  public boolean ownerScoped() { return pooled() || verdict == Reason.OWNERS_DISABLED; }

  /** The release methods, {@code name+descriptor}, e.g. {@code close()V}; empty when there is none. */
  public List<String> releaseMethods() { return releaseMethods; }

  /**
   * The largest constant length stored into the field (what one instance holds once allocated), or
   * -1 when some site has a variable length.
   */
  public int bytesPerInstance() { return bytesPerInstance; }

  /**
   * What the report says about every {@code new byte[n]} stored into the field, e.g.
   * {@code field buf, released by close()V, 8192 bytes per instance}.
   */
  public String detail() {
    String release = releaseMethods.isEmpty() ? "no release method" : "released by " + String.join(", ", releaseMethods);
    String bytes = bytesPerInstance < 0 ? "variable length" : bytesPerInstance + " bytes per instance";
    String ends = codecs.isEmpty() ? "" : ", which first ends the codec in " + String.join(", ", codecs);
    return "field " + name + ", " + (ownerScoped() ? release + ends + ", " + bytes : why);
  }

  /**
   * The site the runtime counts the field's arrays under (one per field, whatever the number of
   * {@code new byte[n]} that fill it): the first of them, mode OWNED.
   */
  public SiteDecision site() {
    return SiteDecision.owned(firstSite.withConstantLength(bytesPerInstance), detail());
  }

  @Override
  public String toString() {
    return owner + "." + name + " " + verdict + " " + detail();
  }
}
