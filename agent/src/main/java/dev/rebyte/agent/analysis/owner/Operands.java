package dev.rebyte.agent.analysis.owner;

import dev.rebyte.agent.analysis.flow.SiteValue;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.analysis.Frame;

/** Where the operands of a call or a store are, for the {@link MethodScan}. Static only. */
final class Operands {
  private Operands() {}

  /** The receiver of {@code call} in the frame before it (not for INVOKESTATIC). */
  static SiteValue receiver(Frame<SiteValue> f, MethodInsnNode call) {
    int args = Type.getArgumentTypes(call.desc).length;
    return f.getStack(f.getStackSize() - 1 - args);
  }

  /** Which operand of a call {@code v} is (0: receiver or first argument), -1 if not a call operand. */
  static int operand(Frame<SiteValue> f, SiteValue v, AbstractInsnNode insn) {
    if (!(insn instanceof MethodInsnNode) || f == null) {
      return -1;
    }
    MethodInsnNode call = (MethodInsnNode) insn;
    int n = Type.getArgumentTypes(call.desc).length + (call.getOpcode() == Opcodes.INVOKESTATIC ? 0 : 1);
    for (int k = 0; k < n; k++) {
      if (f.getStack(f.getStackSize() - n + k) == v) {
        return k;
      }
    }
    return -1;
  }

  /** Index of the constructor's call to this(...) or super(...), -1 if none is found. */
  static int superCall(InsnList insns, Frame<SiteValue>[] frames) {
    for (int i = 0; i < frames.length; i++) {
      AbstractInsnNode insn = insns.get(i);
      if (frames[i] != null && insn.getOpcode() == Opcodes.INVOKESPECIAL
          && ((MethodInsnNode) insn).name.equals("<init>")
          && receiver(frames[i], (MethodInsnNode) insn).onlySite() == 0) {
        return i;
      }
    }
    return -1;
  }

  /** Whether the instruction before a store ({@code previous}) pushes the constant null. */
  static boolean isNull(AbstractInsnNode previous) {
    while (previous instanceof LineNumberNode || previous instanceof FrameNode) {
      previous = previous.getPrevious(); // a label may be a jump target: it ends the search
    }
    return previous != null && previous.getOpcode() == Opcodes.ACONST_NULL;
  }
}
