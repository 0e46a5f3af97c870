package dev.rebyte.agent.analysis;

import dev.rebyte.agent.analysis.flow.ControlFlow;
import dev.rebyte.agent.analysis.flow.LocalLiveness;
import dev.rebyte.agent.analysis.flow.SiteValue;
import dev.rebyte.agent.decision.Reason;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Frame;

/** Step 5: the POOLED sites that can run again, and those whose previous array is still live then. */
final class RunAgainCheck {
  /*
   *  5. Loops: if the site lies on a cycle of the control-flow graph, the frame before it says
   *     where the previous iteration's array may still be. It must not be on the stack, and every
   *     local that may hold it must be dead there (LocalLiveness) -- javac reuses the slot of
   *     `byte[] b = new byte[n]` inside a loop, so the slot holds the old array but is about to be
   *     overwritten. Otherwise REJECTED LIVE_WHEN_SITE_RUNS_AGAIN. Accepted sites on a cycle are
   *     flagged runsAgain: the rewrite releases the previous array right before the new acquire.
   * The control flow and the liveness are computed only when a site needs them.
   */
  private RunAgainCheck() {}

  /**
   * Rejects, in {@code sites}, each POOLED site (not an allocator's own) on a cycle whose previous
   * array may be live where it runs again.
   *
   * @return per site, whether it lies on a cycle (the accepted ones are flagged runsAgain)
   */
  static boolean[] check(MethodNode method, Frame<SiteValue>[] frames, int[] lines, MethodSites sites,
      boolean[] allocatorSite) {
    InsnList insns = method.instructions;
    boolean[] runsAgain = new boolean[sites.size()];
    LocalLiveness liveness = null;
    ControlFlow cfg = null;
    for (int s = 0; s < sites.size(); s++) {
      if (!sites.pooled(s) || allocatorSite[s]) {
        continue;
      }
      int at = insns.indexOf(sites.candidates.get(s));
      if (cfg == null) {
        cfg = ControlFlow.of(method);
      }
      if (!cfg.onCycle(at)) {
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
            liveness = LocalLiveness.of(insns, cfg);
          }
          if (liveness.isLiveBefore(at, local)) {
            live = "in local " + localName(method, local, sites.candidates.get(s));
          }
        }
      }
      if (live != null) {
        sites.reject(s, Reason.LIVE_WHEN_SITE_RUNS_AGAIN, live, lines[at]);
      }
    }
    return runsAgain;
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
