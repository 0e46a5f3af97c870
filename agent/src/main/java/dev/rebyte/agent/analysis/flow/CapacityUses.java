package dev.rebyte.agent.analysis.flow;

import dev.rebyte.agent.analysis.jdk.BoundedForms;
import dev.rebyte.agent.decision.BoundedForm;
import dev.rebyte.agent.decision.CapacityUse;
import dev.rebyte.agent.decision.Rounding;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Finds, on the frames of the fixpoint, every use that could observe the capacity of a pooled
 * site's array, and decides which sites may be rounded. Runs after {@link EscapeUses}: every use left
 * is one of the safe uses of its table.
 *
 * <pre>
 * use of a value holding site s              observes?  rounded needs
 * ALOAD/ASTORE, DUP*, POP*, SWAP, CHECKCAST  no         -
 * INSTANCEOF, IF_ACMPxx, IFNULL, IFNONNULL   no         -
 * ARRAYLENGTH                                yes        value certainly s's array (LENGTH)
 * BALOAD / BASTORE array operand             yes        same (LOAD / STORE: index check)
 * call argument                              yes        same, and the call and argument in BoundedForm
 * call receiver (b.clone(), b.getClass())    yes        never: UNBOUNDED_CALL
 * </pre>
 * "Certainly s's array" is {@link SiteValue#onlySite()}: one site, not foreign. A value that may be
 * two sites' arrays, or a site's array or a parameter/null, makes every site in it exact
 * (MERGED_VALUE): the rewrite could not tell which n bounds it. The first reason in instruction
 * order is kept.
 */
public final class CapacityUses {
  private final Rounding[] rounding;
  private final String[] detail;
  private final int[] reasonInsn;
  private final List<List<CapacityUse>> uses = new ArrayList<>();
  private final IntInsnNode[] newarrays;

  /** @param newarrays the candidate NEWARRAY per site index; null where the site is not pooled */
  private CapacityUses(IntInsnNode[] newarrays) {
    this.newarrays = newarrays;
    this.rounding = new Rounding[newarrays.length];
    this.detail = new String[newarrays.length];
    this.reasonInsn = new int[newarrays.length];
    for (int s = 0; s < newarrays.length; s++) {
      uses.add(new ArrayList<>());
      reasonInsn[s] = -1;
    }
  }

  public static CapacityUses scan(InsnList insns, Frame<SiteValue>[] frames, IntInsnNode[] newarrays) {
    CapacityUses c = new CapacityUses(newarrays);
    for (int i = 0; i < frames.length; i++) {
      Frame<SiteValue> f = frames[i];
      if (f == null) {
        continue;
      }
      AbstractInsnNode insn = insns.get(i);
      switch (insn.getOpcode()) {
        case Opcodes.ARRAYLENGTH:
          c.element(insn, top(f, 0), CapacityUse.Kind.LENGTH, i);
          break;
        case Opcodes.BALOAD:
          c.element(insn, top(f, 1), CapacityUse.Kind.LOAD, i);
          break;
        case Opcodes.BASTORE:
          c.element(insn, top(f, 2), CapacityUse.Kind.STORE, i);
          break;
        case Opcodes.INVOKEVIRTUAL:
        case Opcodes.INVOKESPECIAL:
        case Opcodes.INVOKESTATIC:
        case Opcodes.INVOKEINTERFACE:
          c.call((MethodInsnNode) insn, f, i);
          break;
        default:
          break;
      }
    }
    return c;
  }

  /** The code that makes the site exact, or null when nothing does. */
  public Rounding exactReason(int site) { return rounding[site]; }

  public String detail(int site) { return detail[site] == null ? "" : detail[site]; }

  /** Index of the instruction behind {@link #exactReason}, -1 if none. */
  public int reasonInstruction(int site) { return reasonInsn[site]; }

  public List<CapacityUse> uses(int site) { return uses.get(site); }

  private void element(AbstractInsnNode insn, SiteValue v, CapacityUse.Kind kind, int at) {
    if (v == null || v.isEmpty()) {
      return;
    }
    int s = v.onlySite();
    if (s < 0 || newarrays[s] == null) {
      merged(v, at);
    } else {
      uses.get(s).add(new CapacityUse(insn, kind, null, new IntInsnNode[] {newarrays[s]}));
    }
  }

  private void call(MethodInsnNode call, Frame<SiteValue> f, int at) {
    Type[] args = Type.getArgumentTypes(call.desc);
    String signature = call.owner + "." + call.name + call.desc;
    if (call.getOpcode() != Opcodes.INVOKESTATIC) {
      SiteValue receiver = top(f, args.length);
      if (!receiver.isEmpty()) {
        exact(receiver.sites(), Rounding.UNBOUNDED_CALL, "called on the array: " + signature, at);
      }
    }
    BoundedForm form = BoundedForms.of(call.owner, call.name, call.desc);
    IntInsnNode[] argSites = new IntInsnNode[args.length];
    List<Integer> involved = new ArrayList<>();
    boolean any = false;
    for (int k = 0; k < args.length; k++) {
      SiteValue v = top(f, args.length - 1 - k);
      if (v.isEmpty()) {
        continue;
      }
      for (int s : v.sites()) {
        involved.add(s);
      }
      int s = v.onlySite();
      if (form == null || !form.boundsArgument(k)) {
        exact(v.sites(), Rounding.UNBOUNDED_CALL, signature, at);
      } else if (s < 0 || newarrays[s] == null) {
        merged(v, at);
      } else {
        argSites[k] = newarrays[s];
        any = true;
      }
    }
    if (form != null && form.whole() && form.wholeArrays().length > 1) {
      for (int k : form.wholeArrays()) {
        if (argSites[k] == null && top(f, args.length - 1 - k).onlySite() < 0) {
          int[] sites = involved.stream().mapToInt(Integer::intValue).toArray();
          exact(sites, Rounding.UNBOUNDED_CALL,
              signature + ": another array argument may be null or come from elsewhere", at);
          return;
        }
      }
    }
    if (any) {
      CapacityUse use = new CapacityUse(call, CapacityUse.Kind.CALL, form, argSites);
      for (int k = 0; k < argSites.length; k++) {
        if (argSites[k] != null && !containsUse(argSites, k)) {
          int s = indexOf(argSites[k]);
          uses.get(s).add(use);
        }
      }
    }
  }

  /** Whether the site of argument k already appeared in an earlier argument. */
  private static boolean containsUse(IntInsnNode[] argSites, int k) {
    for (int j = 0; j < k; j++) {
      if (argSites[j] == argSites[k]) {
        return true;
      }
    }
    return false;
  }

  private int indexOf(IntInsnNode newarray) {
    for (int s = 0; s < newarrays.length; s++) {
      if (newarrays[s] == newarray) {
        return s;
      }
    }
    throw new IllegalStateException("not a site");
  }

  private void merged(SiteValue v, int at) {
    exact(v.sites(), Rounding.MERGED_VALUE, v.mayBeForeign()
        ? "may also be a parameter, field, null or another array" : "may be another site's array", at);
  }

  private void exact(int[] sites, Rounding reason, String why, int at) {
    for (int s : sites) {
      if (rounding[s] == null) {
        rounding[s] = reason;
        detail[s] = why;
        reasonInsn[s] = at;
      }
    }
  }

  private static SiteValue top(Frame<SiteValue> f, int depth) {
    return f.getStack(f.getStackSize() - 1 - depth);
  }
}
