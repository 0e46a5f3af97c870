package dev.rebyte.agent.analysis.flow;

import java.util.BitSet;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Backward liveness of local variable slots: {@link #liveBefore(int)} is the set of slots that some
 * path from instruction {@code i} reads before writing.
 *
 * <pre>
 * in(i) = use(i) ∪ (∪ in(s) for normal successors s  −  def(i)) ∪ (∪ in(h) for handlers h covering i)
 * </pre>
 * Handler edges do not subtract {@code def(i)}: the exception may be thrown before the store. A store
 * of a long/double kills only its first slot (conservative: more live, never less). Iterates reverse
 * passes to the fixpoint; each pass is O(instructions x locals / 64).
 */
public final class LocalLiveness {
  private final BitSet[] in;

  private LocalLiveness(BitSet[] in) {
    this.in = in;
  }

  public static LocalLiveness of(InsnList insns, ControlFlow flow) {
    int n = flow.size();
    BitSet[] in = new BitSet[n];
    for (int i = 0; i < n; i++) {
      in[i] = new BitSet();
    }
    int[] use = new int[n];
    int[] def = new int[n];
    for (int i = 0; i < n; i++) {
      AbstractInsnNode insn = insns.get(i);
      use[i] = -1;
      def[i] = -1;
      if (insn instanceof VarInsnNode) {
        int op = insn.getOpcode();
        int var = ((VarInsnNode) insn).var;
        if (op >= Opcodes.ISTORE && op <= Opcodes.ASTORE) {
          def[i] = var;
        } else {
          use[i] = var;
        }
      } else if (insn instanceof IincInsnNode) {
        use[i] = ((IincInsnNode) insn).var;
      }
    }
    boolean changed = true;
    BitSet scratch = new BitSet();
    while (changed) {
      changed = false;
      for (int i = n - 1; i >= 0; i--) {
        scratch.clear();
        for (int s : flow.normalSuccessors(i)) {
          scratch.or(in[s]);
        }
        if (def[i] >= 0) {
          scratch.clear(def[i]);
        }
        for (int h : flow.handlerSuccessors(i)) {
          scratch.or(in[h]);
        }
        if (use[i] >= 0) {
          scratch.set(use[i]);
        }
        if (!scratch.equals(in[i])) {
          in[i].clear();
          in[i].or(scratch);
          changed = true;
        }
      }
    }
    return new LocalLiveness(in);
  }

  /** Whether slot {@code local} may be read, before being written, on some path from {@code i}. */
  public boolean isLiveBefore(int i, int local) {
    return in[i].get(local);
  }
}
