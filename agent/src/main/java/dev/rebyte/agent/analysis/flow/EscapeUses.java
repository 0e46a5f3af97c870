package dev.rebyte.agent.analysis.flow;

import dev.rebyte.agent.analysis.callee.Callees;
import dev.rebyte.agent.analysis.callee.MethodSummary;
import dev.rebyte.agent.analysis.jdk.NonRetainingMethods;
import dev.rebyte.agent.decision.Reason;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Judges every use of every site value, on the frames of the fixpoint: for each reachable
 * instruction, the operands it consumes are checked against what the instruction does with them.
 *
 * <pre>
 * safe                                    escape (Reason)
 * xALOAD/xASTORE array operand            AASTORE stored value       STORED_IN_ARRAY
 * ARRAYLENGTH, CHECKCAST, INSTANCEOF      PUTFIELD value             STORED_IN_FIELD
 * IF_ACMPxx, IFNULL, IFNONNULL            PUTSTATIC value            STORED_IN_STATIC
 * ASTORE/ALOAD, POP*, DUP*, SWAP          ARETURN                    RETURNED
 * GETFIELD/PUTFIELD object operand        ATHROW                     THROWN
 * any operand of a trusted call           MONITORENTER/EXIT          MONITOR
 *                                         INVOKEDYNAMIC operand      CAPTURED_BY_INVOKEDYNAMIC
 *                                         call operand (receiver included) not trusted:
 *                                           PASSED_TO_DISTRUSTED_METHOD / PASSED_TO_UNKNOWN_METHOD
 * operand of a statically bound call whose   operand of a bound call whose summary says it escapes:
 *   summary says it stays (Callees)            ESCAPES_IN_CALLEE / CALLEE_NOT_ANALYSABLE
 * </pre>
 * Not-bound calls (virtual on a non-final type) stay PASSED_TO_UNKNOWN_METHOD, their detail saying
 * so. Safe call uses are reported to {@link Sink#safe} (the chain the report shows).
 * Instructions not in the table consume only primitives in verifiable code; they are not inspected.
 * Operands are read from the frame BEFORE the instruction (ASM's {@code frames[i]}), counted from the
 * top of the stack; a long or double is one stack entry in ASM's frames.
 */
public final class EscapeUses {
  /** Receives each escaping use. */
  public interface Sink {
    void escape(SiteValue value, Reason reason, String detail, int insnIndex);

    /** A safe call use: {@code summarised} when a callee summary (not the trusted list) made it safe. */
    default void safe(SiteValue value, String chain, boolean summarised, int insnIndex) {}
  }

  private final NonRetainingMethods methods;
  private final Callees callees;
  private final int ignored;

  public EscapeUses(NonRetainingMethods methods) {
    this(methods, Callees.NONE);
  }

  public EscapeUses(NonRetainingMethods methods, Callees callees) {
    this(methods, callees, -1);
  }

  /**
   * @param ignored a site id whose uses are not judged (OwnerAnalysis tracks {@code this} as a site
   *     to recognise its own stores; a value that is only {@code this} needs no callee summary)
   */
  public EscapeUses(NonRetainingMethods methods, Callees callees, int ignored) {
    this.methods = methods;
    this.callees = callees;
    this.ignored = ignored;
  }

  public void scan(InsnList instructions, Frame<SiteValue>[] frames, Sink sink) {
    for (int i = 0; i < frames.length; i++) {
      Frame<SiteValue> f = frames[i];
      if (f != null) {
        check(instructions.get(i), f, i, sink);
      }
    }
  }

  private void check(AbstractInsnNode insn, Frame<SiteValue> f, int index, Sink sink) {
    switch (insn.getOpcode()) {
      case Opcodes.AASTORE:
        report(top(f, 0), Reason.STORED_IN_ARRAY, "", index, sink);
        break;
      case Opcodes.PUTFIELD:
        report(top(f, 0), Reason.STORED_IN_FIELD, fieldName(insn), index, sink);
        break;
      case Opcodes.PUTSTATIC:
        report(top(f, 0), Reason.STORED_IN_STATIC, fieldName(insn), index, sink);
        break;
      case Opcodes.ARETURN:
        report(top(f, 0), Reason.RETURNED, "", index, sink);
        break;
      case Opcodes.ATHROW:
        report(top(f, 0), Reason.THROWN, "", index, sink);
        break;
      case Opcodes.MONITORENTER:
      case Opcodes.MONITOREXIT:
        report(top(f, 0), Reason.MONITOR, "", index, sink);
        break;
      case Opcodes.INVOKEDYNAMIC: {
        InvokeDynamicInsnNode indy = (InvokeDynamicInsnNode) insn;
        int n = Type.getArgumentTypes(indy.desc).length;
        String detail = indy.name + indy.desc + " via " + indy.bsm.getOwner() + "." + indy.bsm.getName();
        for (int k = 0; k < n; k++) {
          report(top(f, k), Reason.CAPTURED_BY_INVOKEDYNAMIC, detail, index, sink);
        }
        break;
      }
      case Opcodes.INVOKEVIRTUAL:
      case Opcodes.INVOKESPECIAL:
      case Opcodes.INVOKESTATIC:
      case Opcodes.INVOKEINTERFACE:
        checkCall((MethodInsnNode) insn, f, index, sink);
        break;
      default:
        break;
    }
  }

  private void checkCall(MethodInsnNode call, Frame<SiteValue> f, int index, Sink sink) {
    int operands = Type.getArgumentTypes(call.desc).length
        + (call.getOpcode() == Opcodes.INVOKESTATIC ? 0 : 1);
    boolean any = false;
    for (int k = 0; k < operands && !any; k++) {
      any = judged(top(f, k));
    }
    if (!any) {
      return;
    }
    NonRetainingMethods.Verdict verdict = methods.verdict(call.owner, call.name, call.desc);
    String detail = call.owner + "." + call.name + call.desc;
    Callees.Target target = verdict == NonRetainingMethods.Verdict.UNKNOWN
        ? callees.target(call) : Callees.Target.UNKNOWN;
    if (verdict == NonRetainingMethods.Verdict.TRUSTED || target.trusted) {
      for (int k = 0; k < operands; k++) {
        if (judged(top(f, k))) {
          sink.safe(top(f, k), detail, false, index);
        }
      }
      return;
    }
    if (target.summary != null) {
      MethodSummary summary = target.summary;
      for (int k = 0; k < operands; k++) {
        SiteValue v = top(f, k);
        if (!judged(v)) {
          continue;
        }
        MethodSummary.Escape e = summary.escape(operands - 1 - k);
        if (e == null) {
          String chain = summary.safeChain(operands - 1 - k);
          sink.safe(v, "via " + summary.key + (chain.isEmpty() ? "" : ": " + chain), true, index);
        } else {
          report(v, e.callerReason(), "via " + summary.key + ": " + e.chain, index, sink);
        }
      }
      return;
    }
    Reason reason = verdict == NonRetainingMethods.Verdict.DISTRUSTED
        ? Reason.PASSED_TO_DISTRUSTED_METHOD : Reason.PASSED_TO_UNKNOWN_METHOD;
    String why = target.note.isEmpty() ? detail : detail + " (" + target.note + ")";
    for (int k = 0; k < operands; k++) {
      report(top(f, k), reason, why, index, sink);
    }
  }

  /** Whether the value holds a site whose uses are judged. */
  private boolean judged(SiteValue v) {
    return v != null && !v.isEmpty() && !(ignored >= 0 && v.isOnly(ignored));
  }

  private static SiteValue top(Frame<SiteValue> f, int depth) {
    return f.getStack(f.getStackSize() - 1 - depth);
  }

  private static String fieldName(AbstractInsnNode insn) {
    FieldInsnNode field = (FieldInsnNode) insn;
    return field.owner + "." + field.name;
  }

  private void report(SiteValue v, Reason reason, String detail, int index, Sink sink) {
    if (judged(v)) {
      sink.escape(v, reason, detail, index);
    }
  }
}
