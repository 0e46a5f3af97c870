package dev.rebyte.agent.analysis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Decides, for every {@code new byte[n]} of one method, whether it can borrow from the pool. Emits
 * nothing. Thread-safe (no state beyond its immutable settings).
 */
public final class EscapeAnalyzer {
  /*
   * Mechanism, per method:
   *  1. Candidates: every NEWARRAY T_BYTE; a constant length below minSize is SKIPPED at once.
   *  2. Guards: JSR/RET -> SKIPPED JSR_RET; instructions > maxInstructions or
   *     instructions * maxLocals^2 > maxCost -> SKIPPED METHOD_OVER_BUDGET. Nothing can hang.
   *  3. Forward data flow (ASM Analyzer + SiteInterpreter): each stack/local slot holds the set of
   *     candidate sites whose array it may be; merges are unions, so a site merged with a parameter
   *     or another site is still tracked and every use of the merged value is judged.
   *  4. EscapeUses walks the fixpoint frames and rejects a site at its first escaping use
   *     (instruction order), recording the reason, the callee or field, and the line.
   *  5. Loops: if the site lies on a cycle of the control-flow graph, the frame before it says
   *     where the previous iteration's array may still be. It must not be on the stack, and every
   *     local that may hold it must be dead there (LocalLiveness) -- javac reuses the slot of
   *     `byte[] b = new byte[n]` inside a loop, so the slot holds the old array but is about to be
   *     overwritten. Otherwise REJECTED LIVE_WHEN_SITE_RUNS_AGAIN. Accepted sites on a cycle are
   *     flagged runsAgain: the rewrite releases the previous array right before the new acquire.
   *  Release at normal returns needs no proof beyond step 4: nothing outside the frame holds the
   *  array, and the frame is going away.
   *  6. Size mode (CapacityUses), for each site still POOLED: constant length -> EXACT
   *     CONSTANT_LENGTH (exact mode hits them anyway; rounding would only add index checks);
   *     rounded mode off -> EXACT DISABLED; otherwise ROUNDED unless a use that can observe the
   *     capacity (ARRAYLENGTH, element access, a call argument) may see a value that is not
   *     certainly this site's array (MERGED_VALUE), or is a call with no BoundedForm
   *     (UNBOUNDED_CALL). The rewrite then bounds every listed use by the site's logical length n,
   *     kept in a synthetic local written when the site runs.
   *     Why one local per site is enough: a use of a value that is certainly site s's array sees
   *     the array of the LAST execution of s on that path -- if s runs again while an older array of
   *     s is still reachable from a live local or the stack, step 5 rejected s (the older array is
   *     dead where s runs again, so no later use can see it). The local n is written exactly when
   *     s's array is acquired (after acquireAtLeast returns), so n always belongs to the array in
   *     hand. A value from two sites could belong to either n: that is MERGED_VALUE, and exact.
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

  /**
   * @param internalClassName the owner of the method, e.g. {@code com/acme/Copier}
   * @return the method's sites in instruction order; empty when it has none
   */
  public List<AnalyzedSite> analyze(String internalClassName, MethodNode method) {
    InsnList insns = method.instructions;
    if (insns.size() == 0) {
      return List.of();
    }
    String className = internalClassName.replace('/', '.');
    int[] lines = lines(insns);
    List<IntInsnNode> candidates = new ArrayList<>();
    List<SiteDecision> decisions = new ArrayList<>();
    boolean hasJsr = false;
    for (AbstractInsnNode insn = insns.getFirst(); insn != null; insn = insn.getNext()) {
      int op = insn.getOpcode();
      hasJsr |= op == Opcodes.JSR || op == Opcodes.RET;
      if (op == Opcodes.NEWARRAY && ((IntInsnNode) insn).operand == Opcodes.T_BYTE) {
        int length = constantLength(insn.getPrevious());
        boolean small = length >= 0 && length < minSize;
        candidates.add((IntInsnNode) insn);
        decisions.add(new SiteDecision(className, method.name, method.desc,
            lines[insns.indexOf(insn)], length, small ? Decision.SKIPPED : Decision.POOLED,
            small ? Reason.BELOW_MIN_SIZE : Reason.NON_ESCAPING, "", -1, -1));
      }
    }
    if (candidates.isEmpty() || decisions.stream().allMatch(d -> d.decision() == Decision.SKIPPED)) {
      return result(candidates, decisions, new boolean[candidates.size()], null);
    }
    long cost = (long) insns.size() * method.maxLocals * method.maxLocals;
    if (hasJsr) {
      skipAll(decisions, Reason.JSR_RET, "");
    } else if (insns.size() > maxInstructions || cost > maxCost) {
      skipAll(decisions, Reason.METHOD_OVER_BUDGET,
          insns.size() + " instructions, " + method.maxLocals + " locals");
    } else {
      try {
        return decide(internalClassName, method, lines, candidates, decisions);
      } catch (AnalyzerException | RuntimeException e) {
        skipAll(decisions, Reason.ANALYSIS_FAILED, String.valueOf(e.getMessage()));
      }
    }
    return result(candidates, decisions, new boolean[candidates.size()], null);
  }

  private List<AnalyzedSite> decide(String owner, MethodNode method, int[] lines,
      List<IntInsnNode> candidates, List<SiteDecision> decisions) throws AnalyzerException {
    InsnList insns = method.instructions;
    Map<AbstractInsnNode, Integer> index = new IdentityHashMap<>();
    for (int s = 0; s < candidates.size(); s++) {
      if (decisions.get(s).decision() == Decision.POOLED) {
        index.put(candidates.get(s), s);
      }
    }
    Frame<SiteValue>[] frames = new Analyzer<>(new SiteInterpreter(index)).analyze(owner, method);
    for (int s : index.values()) {
      if (frames[insns.indexOf(candidates.get(s))] == null) {
        decisions.set(s, decisions.get(s).withOutcome(Decision.SKIPPED, Reason.UNREACHABLE));
      }
    }
    new EscapeUses(methods).scan(insns, frames, (value, reason, detail, at) -> {
      for (int s : value.sites()) {
        SiteDecision d = decisions.get(s);
        if (d.decision() == Decision.POOLED) {
          decisions.set(s, reject(d, reason, detail, lines[at]));
        }
      }
    });
    boolean[] runsAgain = new boolean[candidates.size()];
    ControlFlow flow = null;
    LocalLiveness liveness = null;
    for (int s = 0; s < candidates.size(); s++) {
      if (decisions.get(s).decision() != Decision.POOLED) {
        continue;
      }
      int at = insns.indexOf(candidates.get(s));
      if (flow == null) {
        flow = ControlFlow.of(method);
      }
      if (!flow.onCycle(at)) {
        continue;
      }
      runsAgain[s] = true;
      Frame<SiteValue> before = frames[at];
      String live = null;
      for (int k = 0; k < before.getStackSize() && live == null; k++) {
        if (before.getStack(k).contains(s)) {
          live = "on the operand stack";
        }
      }
      for (int local = 0; local < before.getLocals() && live == null; local++) {
        if (before.getLocal(local).contains(s)) {
          if (liveness == null) {
            liveness = LocalLiveness.of(insns, flow);
          }
          if (liveness.isLiveBefore(at, local)) {
            live = "in local " + localName(method, local, candidates.get(s));
          }
        }
      }
      if (live != null) {
        decisions.set(s, reject(decisions.get(s), Reason.LIVE_WHEN_SITE_RUNS_AGAIN, live, lines[at]));
      }
    }
    return result(candidates, decisions, runsAgain, sizeModes(insns, frames, lines, candidates, decisions));
  }

  /** Step 6: sets each pooled site's size mode; returns the uses to bound per rounded site. */
  private List<List<CapacityUse>> sizeModes(InsnList insns, Frame<SiteValue>[] frames, int[] lines,
      List<IntInsnNode> candidates, List<SiteDecision> decisions) {
    IntInsnNode[] pooled = new IntInsnNode[candidates.size()];
    for (int s = 0; s < pooled.length; s++) {
      if (decisions.get(s).decision() == Decision.POOLED) {
        pooled[s] = candidates.get(s);
      }
    }
    CapacityUses capacity = rounded ? CapacityUses.scan(insns, frames, pooled) : null;
    List<List<CapacityUse>> uses = new ArrayList<>();
    for (int s = 0; s < pooled.length; s++) {
      SiteDecision d = decisions.get(s);
      List<CapacityUse> mine = List.of();
      if (pooled[s] == null) {
        // not pooled: NOT_POOLED, set by the constructor or withOutcome
      } else if (d.constantLength() >= 0) {
        d = d.withRounding(Rounding.CONSTANT_LENGTH, "");
      } else if (capacity == null) {
        d = d.withRounding(Rounding.DISABLED, "");
      } else if (capacity.exactReason(s) != null) {
        int at = capacity.reasonInstruction(s);
        d = d.withRounding(capacity.exactReason(s),
            capacity.detail(s) + (at < 0 || lines[at] < 0 ? "" : " @" + lines[at]));
      } else {
        mine = capacity.uses(s);
        d = d.withRounding(mine.isEmpty() ? Rounding.UNOBSERVED : Rounding.BOUNDED, count(mine));
      }
      decisions.set(s, d);
      uses.add(mine);
    }
    return uses;
  }

  private static String count(List<CapacityUse> uses) {
    int[] k = new int[CapacityUse.Kind.values().length];
    for (CapacityUse u : uses) {
      k[u.kind().ordinal()]++;
    }
    return uses.isEmpty() ? "" : k[0] + " length, " + k[1] + " load, " + k[2] + " store, " + k[3] + " call";
  }

  private static SiteDecision reject(SiteDecision d, Reason reason, String detail, int line) {
    return new SiteDecision(d.className(), d.methodName(), d.methodDescriptor(), d.line(),
        d.constantLength(), Decision.REJECTED, reason, detail, line, -1);
  }

  private static void skipAll(List<SiteDecision> decisions, Reason reason, String detail) {
    for (int s = 0; s < decisions.size(); s++) {
      SiteDecision d = decisions.get(s);
      if (d.decision() == Decision.POOLED) {
        decisions.set(s, new SiteDecision(d.className(), d.methodName(), d.methodDescriptor(),
            d.line(), d.constantLength(), Decision.SKIPPED, reason, detail, -1, -1));
      }
    }
  }

  private static List<AnalyzedSite> result(List<IntInsnNode> candidates, List<SiteDecision> decisions,
      boolean[] runsAgain, List<List<CapacityUse>> uses) {
    List<AnalyzedSite> out = new ArrayList<>(candidates.size());
    for (int s = 0; s < candidates.size(); s++) {
      out.add(new AnalyzedSite(candidates.get(s), decisions.get(s), runsAgain[s],
          uses == null ? Collections.emptyList() : uses.get(s)));
    }
    return out;
  }

  /** Source line per instruction index, -1 before the first line number. */
  private static int[] lines(InsnList insns) {
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
  static int constantLength(AbstractInsnNode previous) {
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

  private static String localName(MethodNode method, int slot, AbstractInsnNode at) {
    if (method.localVariables != null) {
      int index = method.instructions.indexOf(at);
      for (LocalVariableNode v : method.localVariables) {
        if (v.index == slot && method.instructions.indexOf(v.start) <= index
            && index < method.instructions.indexOf(v.end)) {
          return slot + " (" + v.name + ")";
        }
      }
      for (LocalVariableNode v : method.localVariables) {
        if (v.index == slot) {
          return slot + " (" + v.name + ")";
        }
      }
    }
    return String.valueOf(slot);
  }
}
