package dev.rebyte.agent.analysis;

import java.util.List;
import org.objectweb.asm.tree.IntInsnNode;

/**
 * One site as the rewrite needs it: the {@code NEWARRAY T_BYTE} instruction, the decision (POOLED
 * here means "accepted"; the transformer turns it into OBSERVED in observe mode), and whether the
 * site may run again in the same frame, in which case the previous array is provably dead at the
 * site and must be released right before the new acquire.
 */
public final class AnalyzedSite {
  private final IntInsnNode instruction;
  private final SiteDecision decision;
  private final boolean runsAgain;
  private final List<CapacityUse> capacityUses;

  AnalyzedSite(IntInsnNode instruction, SiteDecision decision, boolean runsAgain,
      List<CapacityUse> capacityUses) {
    this.instruction = instruction;
    this.decision = decision;
    this.runsAgain = runsAgain;
    this.capacityUses = List.copyOf(capacityUses);
  }

  /** The {@code NEWARRAY T_BYTE} node in the analysed {@code MethodNode}. */
  public IntInsnNode instruction() { return instruction; }

  public SiteDecision decision() { return decision; }

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
