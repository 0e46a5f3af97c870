package dev.rebyte.agent.decision;

import java.util.List;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;

/**
 * One site as the rewrite needs it: the {@code NEWARRAY T_BYTE} instruction, the decision (POOLED
 * here means "accepted"; the transformer turns it into OBSERVED in observe mode), and whether the
 * site may run again in the same frame, in which case the previous array is provably dead at the
 * site and must be released right before the new acquire.
 */
public final class AnalyzedSite {
  /** What the rewrite does at the site. */
  public enum Kind {
    /** {@code new byte[n]}: acquire, release at returns. */
    NEWARRAY,
    /** An allocator's own {@code new byte[n]}: acquire under the allocator's id, never release here. */
    ALLOCATOR,
    /**
     * An owner-scoped buffer's {@code new byte[n]}: acquire under the field's id, never released
     * here (the owner's field releases it: see {@link OwnedField}).
     */
    OWNED,
    /** A call to an allocator ({@link #call()}): release its result at returns, under the allocator's id. */
    ALLOCATOR_RESULT
  }

  private final Kind kind;
  private final AbstractInsnNode at;
  private final Allocator allocator;
  private final IntInsnNode instruction;
  private final SiteDecision decision;
  private final boolean runsAgain;
  private final List<CapacityUse> capacityUses;
  private final OwnedField ownedField;

  public AnalyzedSite(Kind kind, AbstractInsnNode at, Allocator allocator,
      SiteDecision decision, boolean runsAgain, List<CapacityUse> capacityUses) {
    this(kind, at, allocator, decision, runsAgain, capacityUses, null);
  }

  public AnalyzedSite(Kind kind, AbstractInsnNode at, Allocator allocator,
      SiteDecision decision, boolean runsAgain, List<CapacityUse> capacityUses, OwnedField ownedField) {
    this.ownedField = ownedField;
    this.kind = kind;
    this.at = at;
    this.allocator = allocator;
    this.instruction = at instanceof IntInsnNode ? (IntInsnNode) at : null;
    this.decision = decision;
    this.runsAgain = runsAgain;
    this.capacityUses = List.copyOf(capacityUses);
  }

  /** The {@code NEWARRAY T_BYTE} node in the analysed {@code MethodNode}; null for ALLOCATOR_RESULT. */
  public IntInsnNode instruction() { return instruction; }

  public Kind kind() { return kind; }

  /** For ALLOCATOR_RESULT: the call to the allocator. */
  public MethodInsnNode call() { return kind == Kind.ALLOCATOR_RESULT ? (MethodInsnNode) at : null; }

  /** For ALLOCATOR and ALLOCATOR_RESULT: the allocator's key {@code owner.name+desc}, whose id the arrays use. */
  public String allocatorKey() { return allocator == null ? null : allocator.key; }

  /** For ALLOCATOR and ALLOCATOR_RESULT: the allocator as a site to register (once per scope). */
  public SiteDecision allocatorSite() {
    return allocator == null ? null : SiteDecision.allocator(allocator);
  }

  public SiteDecision decision() { return decision; }

  /** For OWNED: the field its array is stored into, whose id the acquire uses. */
  public OwnedField ownedField() { return ownedField; }

  /** Whether the analysis accepted the site (decision POOLED). */
  public boolean accepted() { return decision.decision() == Decision.POOLED; }

  /** Whether the site is on a cycle: release the previous array (dead there) before acquiring. */
  public boolean runsAgain() { return runsAgain; }

  /** Whether the site is rounded ({@code acquireAtLeast}); its {@link #capacityUses()} must be bounded. */
  public boolean rounded() { return accepted() && decision.rounding().rounded(); }

  /**
   * For a rounded site: every instruction that could observe its capacity, in instruction order (a
   * call with two rounded arrays appears in both sites' lists). Empty otherwise.
   */
  public List<CapacityUse> capacityUses() { return capacityUses; }
}
