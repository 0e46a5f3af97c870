package dev.rebyte.agent.analysis;

import dev.rebyte.agent.analysis.callee.CalleeSummaries;
import dev.rebyte.agent.analysis.callee.Callees;
import dev.rebyte.agent.analysis.callee.MethodSummary;
import dev.rebyte.agent.analysis.jdk.NonRetainingMethods;
import dev.rebyte.agent.decision.AnalyzedSite;
import dev.rebyte.agent.decision.Reason;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;

/**
 * Decides, for every {@code new byte[n]} of one method, whether it can borrow from the pool. Emits
 * nothing. Thread-safe (no state beyond its immutable settings).
 */
public final class EscapeAnalyzer {
  /*
   * Mechanism, per method (each step is told in full in the class that does it):
   *  1. Candidates (MethodSites): every NEWARRAY T_BYTE; a constant length below minSize is
   *     SKIPPED at once.
   *  2. Guards: JSR/RET -> SKIPPED JSR_RET; instructions > maxInstructions or
   *     instructions * maxLocals^2 > maxCost -> SKIPPED METHOD_OVER_BUDGET. Nothing can hang.
   *  3. Forward data flow (SiteEscapes): the set of candidate sites each slot may hold.
   *  4. Escapes (SiteEscapes, EscapeUses): a site is rejected at its first escaping use.
   *  5. Loops (RunAgainCheck): a site that runs again while its previous array is live is rejected.
   *  Release at normal returns needs no proof beyond step 4: nothing outside the frame holds the
   *  array, and the frame is going away.
   *  6. Size mode (SizeModes): exact, or rounded with the uses the rewrite must bound.
   *  Beyond one method (with a Callees, see Callees for binding, recursion and budgets):
   *  7. Allocator results (MethodSites): a call to an allocator is a candidate too.
   *  8. Callee summaries (SiteEscapes): a site safe only thanks to a summary is
   *     NON_ESCAPING_VIA_CALLEES.
   *  9. Allocator (AllocatorCheck): the method returns only fresh arrays of its own candidates.
   *  Summaries (CalleeSummarizer) run steps 1-4 and 9 on the callee with each parameter that may
   *  be a byte[] as one more site.
   * SiteDecider runs steps 3 to 9 in that order on the sites that pass the guards.
   */
  private final NonRetainingMethods methods;
  private final int minSize;
  private final long maxCost;
  private final int maxInstructions;
  private final boolean rounded;

  /** An analyzer with rounded mode on. */
  public EscapeAnalyzer(NonRetainingMethods methods, int minSize, long maxCost, int maxInstructions) {
    this(methods, minSize, maxCost, maxInstructions, true);
  }

  /** @param rounded whether variable-length sites may be rounded (step 6) */
  public EscapeAnalyzer(NonRetainingMethods methods, int minSize, long maxCost, int maxInstructions,
      boolean rounded) {
    this.methods = methods;
    this.minSize = minSize;
    this.maxCost = maxCost;
    this.maxInstructions = maxInstructions;
    this.rounded = rounded;
  }

  public NonRetainingMethods methods() {
    return methods;
  }

  public int minSize() {
    return minSize;
  }

  /** Whether variable-length sites may be rounded (step 6). */
  boolean rounded() {
    return rounded;
  }

  /** Whether the method is past the budgets (instructions, instructions x maxLocals^2). */
  public boolean overBudget(MethodNode method) {
    int n = method.instructions.size();
    return n > maxInstructions || (long) n * method.maxLocals * method.maxLocals > maxCost;
  }

  /**
   * @param internalClassName the owner of the method, e.g. {@code com/acme/Copier}
   * @return the method's sites in instruction order; empty when it has none
   */
  public List<AnalyzedSite> analyze(String internalClassName, MethodNode method) {
    return analyze(internalClassName, method, Callees.NONE);
  }

  /**
   * @param callees what the class's callees are known to do ({@link CalleeSummaries#forClass})
   * @return the method's sites in instruction order; empty when it has none
   */
  public List<AnalyzedSite> analyze(String internalClassName, MethodNode method, Callees callees) {
    if (callees.enabled()) {
      callees.bind(this::summarize, methods);
    }
    InsnList insns = method.instructions;
    if (insns.size() == 0) {
      return List.of();
    }
    int[] lines = lines(insns);
    MethodSites sites = MethodSites.find(internalClassName, method, lines, minSize, methods, callees);
    if (sites.noneToDecide()) {
      return sites.result();
    }
    if (sites.hasJsr) {
      sites.skipAll(Reason.JSR_RET, "");
    } else if (overBudget(method)) {
      sites.skipAll(Reason.METHOD_OVER_BUDGET,
          insns.size() + " instructions, " + method.maxLocals + " locals");
    } else {
      try {
        return SiteDecider.decide(this, internalClassName, method, lines, sites, callees);
      } catch (AnalyzerException | RuntimeException e) {
        sites.skipAll(Reason.ANALYSIS_FAILED, String.valueOf(e.getMessage()));
      }
    }
    return sites.result();
  }

  /** A summary of {@code method} for its callers (see Callees); never throws. */
  public MethodSummary summarize(String owner, MethodNode method, Callees callees) {
    return CalleeSummarizer.summarize(this, owner, method, callees);
  }

  /** Source line per instruction index, -1 before the first line number. */
  public static int[] lines(InsnList insns) {
    int[] lines = new int[insns.size()];
    int line = -1;
    int i = 0;
    for (AbstractInsnNode insn = insns.getFirst(); insn != null; insn = insn.getNext(), i++) {
      if (insn instanceof LineNumberNode) {
        line = ((LineNumberNode) insn).line;
      }
      lines[i] = line;
    }
    return lines;
  }

  /** The pushed int constant, or -1 when the length is not a non-negative constant. */
  public static int constantLength(AbstractInsnNode previous) {
    if (previous == null) {
      return -1;
    }
    int op = previous.getOpcode();
    if (op >= Opcodes.ICONST_0 && op <= Opcodes.ICONST_5) {
      return op - Opcodes.ICONST_0;
    }
    if (op == Opcodes.BIPUSH || op == Opcodes.SIPUSH) {
      return Math.max(-1, ((IntInsnNode) previous).operand);
    }
    if (op == Opcodes.LDC && ((LdcInsnNode) previous).cst instanceof Integer) {
      return Math.max(-1, (Integer) ((LdcInsnNode) previous).cst);
    }
    return -1;
  }
}
