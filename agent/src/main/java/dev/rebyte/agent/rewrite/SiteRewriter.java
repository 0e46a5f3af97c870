package dev.rebyte.agent.rewrite;

import dev.rebyte.agent.analysis.AnalyzedSite;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Emits the calls for the sites the analysis accepted in one method. Decides nothing.
 *
 * <pre>
 * REWRITE, per site k (synthetic local t_k, id k):
 *   method entry:      aconst_null; astore t_k                     (t_k is null where the site did not run)
 *   at the site:       [runsAgain: aload t_k; id; release; aconst_null; astore t_k]
 *                      id; invokestatic acquire(II)[B; dup; astore t_k   (replaces NEWARRAY T_BYTE)
 *   before xRETURN:    aload t_k; id; invokestatic release([BI)V         (null is ignored by the runtime)
 * OBSERVE:
 *   before the site:   dup; id; invokestatic observe(II)V              (NEWARRAY stays)
 * </pre>
 * No branch, no handler is added. The acquire has NEWARRAY's stack effect once the id is pushed and
 * throws NegativeArraySizeException at the same point. t_k is nulled after the early release so that
 * if the acquire throws and the method later returns normally, the array is not released twice.
 * Frames are recomputed by the class writer (t_k is a new local live across merges).
 */
final class SiteRewriter {
  static final String RUNTIME = "dev/rebyte/runtime/Rebyte";

  private SiteRewriter() {}

  /** @param ids the registered id of each site, in the order of {@code sites} */
  static void rewrite(MethodNode method, List<AnalyzedSite> sites, int[] ids) {
    int[] locals = new int[sites.size()];
    InsnList entry = new InsnList();
    for (int k = 0; k < sites.size(); k++) {
      locals[k] = method.maxLocals++;
      entry.add(new InsnNode(Opcodes.ACONST_NULL)); // stack: -> null
      entry.add(new VarInsnNode(Opcodes.ASTORE, locals[k])); // stack: null ->
    }
    List<AbstractInsnNode> returns = new ArrayList<>();
    for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
      int op = insn.getOpcode();
      if (op >= Opcodes.IRETURN && op <= Opcodes.RETURN) {
        returns.add(insn);
      }
    }
    for (int k = 0; k < sites.size(); k++) {
      AnalyzedSite site = sites.get(k);
      InsnList at = new InsnList();
      if (site.runsAgain()) {
        at.add(new VarInsnNode(Opcodes.ALOAD, locals[k])); // stack: length -> length, previous
        at.add(pushInt(ids[k])); // stack: length, previous -> length, previous, site
        at.add(call("release", "([BI)V")); // stack: length, previous, site -> length
        at.add(new InsnNode(Opcodes.ACONST_NULL)); // stack: length -> length, null
        at.add(new VarInsnNode(Opcodes.ASTORE, locals[k])); // stack: length, null -> length
      }
      at.add(pushInt(ids[k])); // stack: length -> length, site
      at.add(call("acquire", "(II)[B")); // stack: length, site -> byte[]
      at.add(new InsnNode(Opcodes.DUP)); // stack: byte[] -> byte[], byte[]
      at.add(new VarInsnNode(Opcodes.ASTORE, locals[k])); // stack: byte[], byte[] -> byte[]
      IntInsnNode newarray = site.instruction();
      method.instructions.insertBefore(newarray, at);
      method.instructions.remove(newarray);
    }
    for (AbstractInsnNode ret : returns) {
      InsnList release = new InsnList();
      for (int k = 0; k < sites.size(); k++) {
        release.add(new VarInsnNode(Opcodes.ALOAD, locals[k])); // stack: result -> result, array
        release.add(pushInt(ids[k])); // stack: result, array -> result, array, site
        release.add(call("release", "([BI)V")); // stack: result, array, site -> result
      }
      method.instructions.insertBefore(ret, release);
    }
    method.instructions.insert(entry);
  }

  static void observe(MethodNode method, List<AnalyzedSite> sites, int[] ids) {
    for (int k = 0; k < sites.size(); k++) {
      InsnList before = new InsnList();
      before.add(new InsnNode(Opcodes.DUP)); // stack: length -> length, length
      before.add(pushInt(ids[k])); // stack: length, length -> length, length, site
      before.add(call("observe", "(II)V")); // stack: length, length, site -> length
      method.instructions.insertBefore(sites.get(k).instruction(), before);
    }
  }

  private static MethodInsnNode call(String name, String descriptor) {
    return new MethodInsnNode(Opcodes.INVOKESTATIC, RUNTIME, name, descriptor, false);
  }

  /** The shortest push of {@code value}: iconst, bipush, sipush or ldc. */
  static AbstractInsnNode pushInt(int value) {
    if (value >= -1 && value <= 5) {
      return new InsnNode(Opcodes.ICONST_0 + value);
    }
    if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
      return new IntInsnNode(Opcodes.BIPUSH, value);
    }
    if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
      return new IntInsnNode(Opcodes.SIPUSH, value);
    }
    return new LdcInsnNode(value);
  }
}
