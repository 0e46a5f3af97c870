package dev.rebyte.agent.rewrite;

import dev.rebyte.agent.decision.BoundedForm;
import dev.rebyte.agent.decision.CapacityUse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Bounds every capacity observation of a rounded site by its logical length {@code n} (an int local
 * written when the site acquires). Emits only; {@code analysis.flow.CapacityUses} decided.
 *
 * <pre>
 * LENGTH   arraylength                 -> pop; iload n
 * LOAD     baload   (arr, i)           -> [check i] baload
 * STORE    bastore  (arr, i, v)        -> swap; [check i]; swap; bastore
 *          check i: dup; iload n; if_icmpge FAIL; dup; ifge OK;
 *                   FAIL: throw new ArrayIndexOutOfBoundsException("Index " + i + " out of bounds for length " + n)
 *                   OK:
 * CALL     whole form f(..b..)         -> f'(..b, 0, n..)       (BoundedForm: the bounded equivalent)
 *          ranged form f(..b, off, len..):
 *                   spill the arguments to fresh locals;
 *                   ok = every range of a rounded array inside [0, n);
 *                   pass = ok ? b : Arrays.copyOf(b, n);  (one per site: arraycopy(b, .., b, ..) shares it)
 *                   f(..pass, off, len..);
 *                   if (pass != b) System.arraycopy(pass, 0, b, 0, n)   (only if f writes the array)
 * </pre>
 * The index check is a compare and a branch per bound (no proof of in-range indexes is attempted:
 * C2's range-check elimination handles the common counted loop {@code i < n}). The message is the
 * one HotSpot gives for an array of length n (JDK 11 to 25, checked by the fixture catalogue against
 * the JVM's own exceptions), so a caught exception reads the same. A negative index is checked too:
 * on the larger array its message would name the capacity.
 * The slow path of a ranged call runs the original call on an array of exactly n bytes with the
 * same content, so the callee itself decides what happens -- its exception type, message and the
 * order of its checks (a closed stream's IOException before the range's IndexOutOfBoundsException),
 * or copyOf/copyOfRange's zero padding past n -- and a callee that writes and returns normally has
 * its writes copied back. Only a callee that writes part of an invalid range and then throws would
 * differ (its partial writes are lost); the JDK methods of BoundedForm check their range first.
 * All branches are forward; an uninitialised {@code new String} below the arguments is allowed there
 * (javac emits the same shape for {@code new String(c ? a : b)}).
 */
final class BoundsEmitter {
  private static final String AIOOBE = "java/lang/ArrayIndexOutOfBoundsException";

  private final MethodNode method;
  private final Map<IntInsnNode, Integer> lengths;

  /** @param lengths the local holding n, per rounded site's NEWARRAY */
  BoundsEmitter(MethodNode method, Map<IntInsnNode, Integer> lengths) {
    this.method = method;
    this.lengths = lengths;
  }

  void bound(CapacityUse use) {
    AbstractInsnNode insn = use.instruction();
    InsnList code = new InsnList();
    switch (use.kind()) {
      case LENGTH:
        code.add(new InsnNode(Opcodes.POP)); // stack: arr ->
        code.add(new VarInsnNode(Opcodes.ILOAD, lengths.get(use.site(0)))); // stack: -> n
        method.instructions.insertBefore(insn, code);
        method.instructions.remove(insn);
        break;
      case LOAD:
        checkIndex(code, lengths.get(use.site(0))); // stack: arr, i -> arr, i
        method.instructions.insertBefore(insn, code);
        break;
      case STORE:
        code.add(new InsnNode(Opcodes.SWAP)); // stack: arr, i, v -> arr, v, i
        checkIndex(code, lengths.get(use.site(0))); // stack: arr, v, i -> arr, v, i
        code.add(new InsnNode(Opcodes.SWAP)); // stack: arr, v, i -> arr, i, v
        method.instructions.insertBefore(insn, code);
        break;
      case CALL:
        call((MethodInsnNode) insn, use);
        break;
      default:
        throw new IllegalStateException(use.kind().toString());
    }
  }

  /** stack: ..., i -> ..., i, or throws the JVM's AIOOBE for an array of length n. */
  private static void checkIndex(InsnList code, int n) {
    LabelNode fail = new LabelNode();
    LabelNode ok = new LabelNode();
    code.add(new InsnNode(Opcodes.DUP)); // stack: i -> i, i
    code.add(new VarInsnNode(Opcodes.ILOAD, n)); // stack: i, i -> i, i, n
    code.add(new JumpInsnNode(Opcodes.IF_ICMPGE, fail)); // stack: i, i, n -> i
    code.add(new InsnNode(Opcodes.DUP)); // stack: i -> i, i
    code.add(new JumpInsnNode(Opcodes.IFGE, ok)); // stack: i, i -> i
    code.add(fail);
    code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/lang/String", "valueOf",
        "(I)Ljava/lang/String;", false)); // stack: i -> "i"
    code.add(new LdcInsnNode("Index ")); // stack: "i" -> "i", "Index "
    code.add(new InsnNode(Opcodes.SWAP)); // stack: "i", "Index " -> "Index ", "i"
    code.add(concat()); // stack: "Index ", "i" -> "Index i"
    code.add(new LdcInsnNode(" out of bounds for length ")); // stack: s -> s, " out of..."
    code.add(concat()); // stack: s, " out of..." -> s
    code.add(new VarInsnNode(Opcodes.ILOAD, n)); // stack: s -> s, n
    code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/lang/String", "valueOf",
        "(I)Ljava/lang/String;", false)); // stack: s, n -> s, "n"
    code.add(concat()); // stack: s, "n" -> message
    code.add(new TypeInsnNode(Opcodes.NEW, AIOOBE)); // stack: message -> message, e
    code.add(new InsnNode(Opcodes.DUP_X1)); // stack: message, e -> e, message, e
    code.add(new InsnNode(Opcodes.SWAP)); // stack: e, message, e -> e, e, message
    code.add(new MethodInsnNode(Opcodes.INVOKESPECIAL, AIOOBE, "<init>", "(Ljava/lang/String;)V",
        false)); // stack: e, e, message -> e
    code.add(new InsnNode(Opcodes.ATHROW)); // stack: e -> (thrown)
    code.add(ok);
  }

  private static MethodInsnNode concat() {
    return new MethodInsnNode(Opcodes.INVOKEVIRTUAL, "java/lang/String", "concat",
        "(Ljava/lang/String;)Ljava/lang/String;", false);
  }

  private void call(MethodInsnNode call, CapacityUse use) {
    Type[] args = Type.getArgumentTypes(call.desc);
    int[] temps = new int[args.length];
    InsnList before = new InsnList();
    for (int k = 0; k < args.length; k++) {
      temps[k] = method.maxLocals;
      method.maxLocals += args[k].getSize();
    }
    for (int k = args.length - 1; k >= 0; k--) {
      // stack: prefix, a0..ak -> prefix, a0..ak-1
      before.add(new VarInsnNode(args[k].getOpcode(Opcodes.ISTORE), temps[k]));
    }
    BoundedForm form = use.form();
    if (form.whole()) {
      for (int k = 0; k < args.length; k++) {
        before.add(new VarInsnNode(args[k].getOpcode(Opcodes.ILOAD), temps[k])); // stack: .. -> .., ak
        if (isWholeArray(form, k)) {
          before.add(new InsnNode(Opcodes.ICONST_0)); // stack: .., b -> .., b, 0
          Integer n = use.site(k) == null ? null : lengths.get(use.site(k));
          if (n != null) {
            before.add(new VarInsnNode(Opcodes.ILOAD, n)); // stack: .., b, 0 -> .., b, 0, n
          } else { // certainly another site's exact (non-null) array: its length is its capacity
            before.add(new VarInsnNode(Opcodes.ALOAD, temps[k])); // stack: .., b, 0 -> .., b, 0, b
            before.add(new InsnNode(Opcodes.ARRAYLENGTH)); // stack: .., b, 0, b -> .., b, 0, length
          }
        }
      }
      method.instructions.insertBefore(call, before);
      method.instructions.set(call, new MethodInsnNode(call.getOpcode(), call.owner,
          form.boundedName(), form.boundedDescriptor(), call.itf));
      return;
    }
    LabelNode fail = new LabelNode();
    LabelNode join = new LabelNode();
    // site NEWARRAY -> {argument temp holding it, local holding what is passed, writes}
    Map<IntInsnNode, int[]> passed = new LinkedHashMap<>();
    for (BoundedForm.Range r : form.ranges()) {
      IntInsnNode site = use.site(r.array());
      Integer n = site == null ? null : lengths.get(site);
      if (n == null) {
        continue; // not a rounded array: the callee checks its real length
      }
      int[] p = passed.computeIfAbsent(site, s -> new int[] {temps[r.array()], method.maxLocals++, 0});
      p[2] |= r.writes() ? 1 : 0;
      rangeChecks(before, r, temps, n, fail);
    }
    int ok = method.maxLocals++;
    before.add(new InsnNode(Opcodes.ICONST_1)); // stack: prefix -> prefix, 1
    before.add(new JumpInsnNode(Opcodes.GOTO, join));
    before.add(fail);
    before.add(new InsnNode(Opcodes.ICONST_0)); // stack: prefix -> prefix, 0
    before.add(join);
    before.add(new VarInsnNode(Opcodes.ISTORE, ok)); // stack: prefix, ok -> prefix
    for (Map.Entry<IntInsnNode, int[]> e : passed.entrySet()) {
      int[] p = e.getValue();
      LabelNode keep = new LabelNode();
      before.add(new VarInsnNode(Opcodes.ALOAD, p[0])); // stack: prefix -> prefix, b
      before.add(new VarInsnNode(Opcodes.ILOAD, ok)); // stack: prefix, b -> prefix, b, ok
      before.add(new JumpInsnNode(Opcodes.IFNE, keep)); // stack: prefix, b, ok -> prefix, b
      before.add(new VarInsnNode(Opcodes.ILOAD, lengths.get(e.getKey()))); // stack: prefix, b -> prefix, b, n
      before.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/util/Arrays", "copyOf", "([BI)[B",
          false)); // stack: prefix, b, n -> prefix, exact-length copy
      before.add(keep);
      before.add(new VarInsnNode(Opcodes.ASTORE, p[1])); // stack: prefix, pass -> prefix
    }
    for (int k = 0; k < args.length; k++) {
      int[] p = use.site(k) == null || !form.boundsArgument(k) ? null : passed.get(use.site(k));
      // stack: prefix, a0..ak-1 -> prefix, a0..ak
      before.add(new VarInsnNode(args[k].getOpcode(Opcodes.ILOAD), p == null ? temps[k] : p[1]));
    }
    method.instructions.insertBefore(call, before);
    InsnList after = new InsnList();
    for (Map.Entry<IntInsnNode, int[]> e : passed.entrySet()) {
      int[] p = e.getValue();
      if (p[2] == 0) {
        continue;
      }
      LabelNode same = new LabelNode();
      after.add(new VarInsnNode(Opcodes.ALOAD, p[1])); // stack: r -> r, pass
      after.add(new VarInsnNode(Opcodes.ALOAD, p[0])); // stack: r, pass -> r, pass, b
      after.add(new JumpInsnNode(Opcodes.IF_ACMPEQ, same)); // stack: r, pass, b -> r
      after.add(new VarInsnNode(Opcodes.ALOAD, p[1])); // stack: r -> r, pass
      after.add(new InsnNode(Opcodes.ICONST_0)); // stack: r, pass -> r, pass, 0
      after.add(new VarInsnNode(Opcodes.ALOAD, p[0])); // stack: r, pass, 0 -> r, pass, 0, b
      after.add(new InsnNode(Opcodes.ICONST_0)); // stack: .., b -> .., b, 0
      after.add(new VarInsnNode(Opcodes.ILOAD, lengths.get(e.getKey()))); // stack: .., b, 0 -> .., b, 0, n
      after.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/lang/System", "arraycopy",
          "(Ljava/lang/Object;ILjava/lang/Object;II)V", false)); // stack: r, pass, 0, b, 0, n -> r
      after.add(same);
    }
    method.instructions.insert(call, after);
  }

  /** Jumps to fail unless the range of r lies in [0, n); stack unchanged. */
  private static void rangeChecks(InsnList code, BoundedForm.Range r, int[] temps, int n, LabelNode fail) {
    int end = temps[r.end()];
    if (r.offsetLength()) { // off >= 0 && len >= 0 && off <= n - len
      int off = temps[r.start()];
      code.add(new VarInsnNode(Opcodes.ILOAD, off)); // stack: -> off
      code.add(new JumpInsnNode(Opcodes.IFLT, fail)); // stack: off ->
      code.add(new VarInsnNode(Opcodes.ILOAD, end)); // stack: -> len
      code.add(new JumpInsnNode(Opcodes.IFLT, fail)); // stack: len ->
      code.add(new VarInsnNode(Opcodes.ILOAD, off)); // stack: -> off
      code.add(new VarInsnNode(Opcodes.ILOAD, n)); // stack: off -> off, n
      code.add(new VarInsnNode(Opcodes.ILOAD, end)); // stack: off, n -> off, n, len
      code.add(new InsnNode(Opcodes.ISUB)); // stack: off, n, len -> off, n - len (no overflow: both >= 0)
      code.add(new JumpInsnNode(Opcodes.IF_ICMPGT, fail)); // stack: off, n - len ->
    } else { // from >= 0 && from <= to && to <= n (from is 0 for copyOf)
      if (r.start() >= 0) {
        int from = temps[r.start()];
        code.add(new VarInsnNode(Opcodes.ILOAD, from)); // stack: -> from
        code.add(new JumpInsnNode(Opcodes.IFLT, fail)); // stack: from ->
        code.add(new VarInsnNode(Opcodes.ILOAD, from)); // stack: -> from
        code.add(new VarInsnNode(Opcodes.ILOAD, end)); // stack: from -> from, to
        code.add(new JumpInsnNode(Opcodes.IF_ICMPGT, fail)); // stack: from, to ->
      } else {
        code.add(new VarInsnNode(Opcodes.ILOAD, end)); // stack: -> to
        code.add(new JumpInsnNode(Opcodes.IFLT, fail)); // stack: to ->
      }
      code.add(new VarInsnNode(Opcodes.ILOAD, end)); // stack: -> to
      code.add(new VarInsnNode(Opcodes.ILOAD, n)); // stack: to -> to, n
      code.add(new JumpInsnNode(Opcodes.IF_ICMPGT, fail)); // stack: to, n ->
    }
  }

  private static boolean isWholeArray(BoundedForm form, int k) {
    for (int a : form.wholeArrays()) {
      if (a == k) {
        return true;
      }
    }
    return false;
  }
}
