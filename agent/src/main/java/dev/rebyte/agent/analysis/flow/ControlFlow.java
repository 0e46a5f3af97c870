package dev.rebyte.agent.analysis.flow;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * Successor graph of a method over instruction indexes (labels, line numbers and frames are nodes
 * too; they fall through). Normal successors and exception-handler successors are kept apart:
 * liveness treats a handler edge as leaving from before the instruction (its store may not happen).
 * Methods with JSR/RET never get here.
 */
public final class ControlFlow {
  private final int[][] normal;
  private final int[][] handlers;

  private ControlFlow(int[][] normal, int[][] handlers) {
    this.normal = normal;
    this.handlers = handlers;
  }

  public static ControlFlow of(MethodNode method) {
    InsnList insns = method.instructions;
    int n = insns.size();
    int[][] normal = new int[n][];
    for (int i = 0; i < n; i++) {
      normal[i] = successors(insns, insns.get(i), i, n);
    }
    int[][] handlers = new int[n][];
    int[] none = new int[0];
    for (int i = 0; i < n; i++) {
      handlers[i] = none;
    }
    List<TryCatchBlockNode> blocks = method.tryCatchBlocks;
    for (TryCatchBlockNode block : blocks) {
      int start = insns.indexOf(block.start);
      int end = insns.indexOf(block.end);
      int handler = insns.indexOf(block.handler);
      for (int i = start; i < end; i++) {
        int[] h = handlers[i];
        int[] grown = Arrays.copyOf(h, h.length + 1);
        grown[h.length] = handler;
        handlers[i] = grown;
      }
    }
    return new ControlFlow(normal, handlers);
  }

  int size() {
    return normal.length;
  }

  int[] normalSuccessors(int i) {
    return normal[i];
  }

  int[] handlerSuccessors(int i) {
    return handlers[i];
  }

  /** Whether instruction {@code i} can run again after it ran: some path leads from it back to it. */
  public boolean onCycle(int i) {
    BitSet seen = new BitSet(normal.length);
    ArrayDeque<Integer> work = new ArrayDeque<>();
    pushAll(normal[i], seen, work);
    pushAll(handlers[i], seen, work);
    while (!work.isEmpty()) {
      int j = work.pop();
      if (j == i) {
        return true;
      }
      pushAll(normal[j], seen, work);
      pushAll(handlers[j], seen, work);
    }
    return false;
  }

  private static void pushAll(int[] next, BitSet seen, ArrayDeque<Integer> work) {
    for (int j : next) {
      if (!seen.get(j)) {
        seen.set(j);
        work.push(j);
      }
    }
  }

  private static int[] successors(InsnList insns, AbstractInsnNode insn, int i, int n) {
    int opcode = insn.getOpcode();
    if (insn instanceof JumpInsnNode) {
      int target = insns.indexOf(((JumpInsnNode) insn).label);
      return opcode == Opcodes.GOTO ? new int[] {target} : next(i, n, target);
    }
    if (insn instanceof TableSwitchInsnNode) {
      TableSwitchInsnNode s = (TableSwitchInsnNode) insn;
      return targets(insns, s.dflt, s.labels);
    }
    if (insn instanceof LookupSwitchInsnNode) {
      LookupSwitchInsnNode s = (LookupSwitchInsnNode) insn;
      return targets(insns, s.dflt, s.labels);
    }
    if ((opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) || opcode == Opcodes.ATHROW) {
      return new int[0];
    }
    return i + 1 < n ? new int[] {i + 1} : new int[0];
  }

  private static int[] next(int i, int n, int target) {
    return i + 1 < n ? new int[] {i + 1, target} : new int[] {target};
  }

  private static int[] targets(InsnList insns, LabelNode dflt, List<LabelNode> labels) {
    int[] out = new int[labels.size() + 1];
    out[0] = insns.indexOf(dflt);
    for (int k = 0; k < labels.size(); k++) {
      out[k + 1] = insns.indexOf(labels.get(k));
    }
    return out;
  }
}
