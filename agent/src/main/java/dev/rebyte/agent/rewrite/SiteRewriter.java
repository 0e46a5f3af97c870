package dev.rebyte.agent.rewrite;

import dev.rebyte.agent.decision.AnalyzedSite;
import dev.rebyte.agent.decision.CapacityUse;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * REWRITE, per exact site k (synthetic local t_k, id k):
 *   method entry:      aconst_null; astore t_k                     (t_k is null where the site did not run)
 *   at the site:       [runsAgain: aload t_k; id; release; aconst_null; astore t_k]
 *                      id; invokestatic acquire(II)[B; dup; astore t_k   (replaces NEWARRAY T_BYTE)
 *   before xRETURN:    aload t_k; id; invokestatic release([BI)V         (null is ignored by the runtime)
 * REWRITE, per rounded site k (t_k as above, plus the logical length in int local n_k):
 *   method entry:      aconst_null; astore t_k; iconst_0; istore n_k
 *   at the site:       [runsAgain: aload t_k; iload n_k; id; release([BII)V; aconst_null; astore t_k]
 *                      dup; id; invokestatic acquireAtLeast(II)[B; swap; istore n_k; dup; astore t_k
 *   before xRETURN:    aload t_k; iload n_k; id; invokestatic release([BII)V
 *   every capacity use (ARRAYLENGTH, BALOAD, BASTORE, calls): bounded by n_k, see BoundsEmitter
 * n_k is written only once acquireAtLeast returned, so t_k and n_k always describe the same array;
 * release clears [0, n_k), all the borrower could write (every write is bounded by n_k).
 * Allocators (id k is the allocator's, shared by its acquires and its callers' releases):
 *   ALLOCATOR site:    id; invokestatic acquire(II)[B                 (no local, no release: returned)
 *   ALLOCATOR_RESULT:  t_k as for an exact site; [runsAgain: release as above, before the call]
 *                      after the call: dup; astore t_k; released before every xRETURN as above
 * Owner-scoped buffers (id k is the field's; released by the owner, see OwnerRewriter):
 *   OWNED site:        id; invokestatic acquire(II)[B                 (no local, no release: kept in the field)
 * OBSERVE:
 *   before the site:   dup; id; invokestatic observe(II)V              (NEWARRAY stays)
 *   ALLOCATOR_RESULT:  nothing (the allocator's own site observes)
 * </pre>
 * No branch, no handler is added. The acquire has NEWARRAY's stack effect once the id is pushed and
 * throws NegativeArraySizeException at the same point. t_k is nulled after the early release so that
 * if the acquire throws and the method later returns normally, the array is not released twice.
 * Frames are recomputed by the class writer (t_k is a new local live across merges).
 */
public final class SiteRewriter {
  public static final String RUNTIME = "dev/rebyte/runtime/Rebyte";

  private SiteRewriter() {}

  /** @param ids the registered id of each site, in the order of {@code sites} */
  public static void rewrite(MethodNode method, List<AnalyzedSite> sites, int[] ids) {
    int[] locals = new int[sites.size()];
    int[] lengths = new int[sites.size()];
    InsnList entry = new InsnList();
    Map<IntInsnNode, Integer> rounded = new IdentityHashMap<>();
    Set<CapacityUse> uses = new LinkedHashSet<>();
    for (int k = 0; k < sites.size(); k++) {
      if (acquireOnly(sites.get(k))) {
        locals[k] = -1;
        continue;
      }
      locals[k] = method.maxLocals++;
      entry.add(new InsnNode(Opcodes.ACONST_NULL)); // stack: -> null
      entry.add(new VarInsnNode(Opcodes.ASTORE, locals[k])); // stack: null ->
      if (sites.get(k).rounded()) {
        lengths[k] = method.maxLocals++;
        entry.add(new InsnNode(Opcodes.ICONST_0)); // stack: -> 0
        entry.add(new VarInsnNode(Opcodes.ISTORE, lengths[k])); // stack: 0 ->
        rounded.put(sites.get(k).instruction(), lengths[k]);
        uses.addAll(sites.get(k).capacityUses()); // identity: a call of two rounded sites once
      }
    }
    BoundsEmitter bounds = new BoundsEmitter(method, rounded);
    for (CapacityUse use : uses) {
      bounds.bound(use);
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
      if (acquireOnly(site)) {
        InsnList at = new InsnList();
        at.add(pushInt(ids[k])); // stack: length -> length, site
        at.add(call("acquire", "(II)[B")); // stack: length, site -> byte[]
        method.instructions.insertBefore(site.instruction(), at);
        method.instructions.remove(site.instruction());
        continue;
      }
      boolean round = site.rounded();
      InsnList at = new InsnList();
      if (site.runsAgain()) {
        at.add(new VarInsnNode(Opcodes.ALOAD, locals[k])); // stack: length -> length, previous
        if (round) {
          at.add(new VarInsnNode(Opcodes.ILOAD, lengths[k])); // stack: length, previous -> length, previous, n
        }
        at.add(pushInt(ids[k])); // stack: length, previous[, n] -> length, previous[, n], site
        at.add(call("release", round ? "([BII)V" : "([BI)V")); // stack: length, previous[, n], site -> length
        at.add(new InsnNode(Opcodes.ACONST_NULL)); // stack: length -> length, null
        at.add(new VarInsnNode(Opcodes.ASTORE, locals[k])); // stack: length, null -> length
      }
      if (site.kind() == AnalyzedSite.Kind.ALLOCATOR_RESULT) {
        InsnList after = new InsnList();
        after.add(new InsnNode(Opcodes.DUP)); // stack: byte[] -> byte[], byte[]
        after.add(new VarInsnNode(Opcodes.ASTORE, locals[k])); // stack: byte[], byte[] -> byte[]
        method.instructions.insertBefore(site.call(), at); // stack at the call: its arguments, untouched
        method.instructions.insert(site.call(), after);
        continue;
      }
      if (round) {
        at.add(new InsnNode(Opcodes.DUP)); // stack: length -> length, length
        at.add(pushInt(ids[k])); // stack: length, length -> length, length, site
        at.add(call("acquireAtLeast", "(II)[B")); // stack: length, length, site -> length, byte[]
        at.add(new InsnNode(Opcodes.SWAP)); // stack: length, byte[] -> byte[], length
        at.add(new VarInsnNode(Opcodes.ISTORE, lengths[k])); // stack: byte[], length -> byte[]
      } else {
        at.add(pushInt(ids[k])); // stack: length -> length, site
        at.add(call("acquire", "(II)[B")); // stack: length, site -> byte[]
      }
      at.add(new InsnNode(Opcodes.DUP)); // stack: byte[] -> byte[], byte[]
      at.add(new VarInsnNode(Opcodes.ASTORE, locals[k])); // stack: byte[], byte[] -> byte[]
      IntInsnNode newarray = site.instruction();
      method.instructions.insertBefore(newarray, at);
      method.instructions.remove(newarray);
    }
    for (AbstractInsnNode ret : returns) {
      InsnList release = new InsnList();
      for (int k = 0; k < sites.size(); k++) {
        if (locals[k] < 0) {
          continue; // ALLOCATOR, OWNED: the array is returned or kept by the object, never released here
        }
        release.add(new VarInsnNode(Opcodes.ALOAD, locals[k])); // stack: result -> result, array
        if (sites.get(k).rounded()) {
          release.add(new VarInsnNode(Opcodes.ILOAD, lengths[k])); // stack: result, array -> result, array, n
        }
        release.add(pushInt(ids[k])); // stack: result, array[, n] -> result, array[, n], site
        release.add(call("release", sites.get(k).rounded() ? "([BII)V" : "([BI)V")); // stack: .., site -> result
      }
      method.instructions.insertBefore(ret, release);
    }
    method.instructions.insert(entry);
  }

  /** ALLOCATOR and OWNED sites acquire and never release in their own frame. */
  private static boolean acquireOnly(AnalyzedSite site) {
    return site.kind() == AnalyzedSite.Kind.ALLOCATOR || site.kind() == AnalyzedSite.Kind.OWNED;
  }

  public static void observe(MethodNode method, List<AnalyzedSite> sites, int[] ids) {
    for (int k = 0; k < sites.size(); k++) {
      if (sites.get(k).kind() == AnalyzedSite.Kind.ALLOCATOR_RESULT) {
        continue;
      }
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
