package dev.rebyte.agent.analysis.flow;

import dev.rebyte.agent.analysis.jdk.NonRetainingMethods;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.analysis.Interpreter;

/**
 * Propagates allocation-site sets through the method: {@code NEWARRAY T_BYTE} at a candidate creates
 * {@code {site}}; copies (loads, stores, DUP*, SWAP) and {@code CHECKCAST} keep the set; everything
 * else produces a value that is none of our arrays (a call never returns its argument: only methods
 * that guarantee that are trusted, see {@link NonRetainingMethods}). Merge is union. Decides nothing:
 * {@link EscapeUses} inspects the fixpoint frames afterwards.
 */
public final class SiteInterpreter extends Interpreter<SiteValue> {
  private final Map<AbstractInsnNode, Integer> siteIndex;
  private final Map<Integer, Integer> parameterSites;

  /**
   * @param siteIndex site id per candidate: a NEWARRAY, a call to an allocator (its result), or a
   *     GETFIELD of a field whose reads are tracked (all reads of one field share an id)
   * @param parameterSites site id per local slot of a tracked parameter (callee summaries)
   */
  public SiteInterpreter(Map<AbstractInsnNode, Integer> siteIndex, Map<Integer, Integer> parameterSites) {
    super(Opcodes.ASM9);
    this.siteIndex = siteIndex;
    this.parameterSites = parameterSites;
  }

  public SiteInterpreter(Map<AbstractInsnNode, Integer> siteIndex) {
    this(siteIndex, Map.of());
  }

  @Override
  public SiteValue newParameterValue(boolean isInstanceMethod, int local, Type type) {
    Integer site = parameterSites.get(local);
    return site == null ? newValue(type) : SiteValue.of(site);
  }

  @Override
  public SiteValue newValue(Type type) {
    if (type == Type.VOID_TYPE) {
      return null;
    }
    return SiteValue.empty(type == null ? 1 : type.getSize());
  }

  @Override
  public SiteValue newOperation(AbstractInsnNode insn) {
    switch (insn.getOpcode()) {
      case Opcodes.LCONST_0:
      case Opcodes.LCONST_1:
      case Opcodes.DCONST_0:
      case Opcodes.DCONST_1:
        return SiteValue.EMPTY_2;
      case Opcodes.LDC:
        Object c = ((LdcInsnNode) insn).cst;
        return SiteValue.empty(c instanceof Long || c instanceof Double ? 2 : 1);
      case Opcodes.GETSTATIC:
        return SiteValue.empty(Type.getType(((FieldInsnNode) insn).desc).getSize());
      case Opcodes.NEW: { // a fresh Inflater/Deflater an owner keeps (OwnerAnalysis) is tracked
        Integer site = siteIndex.get(insn);
        return site == null ? SiteValue.EMPTY_1 : SiteValue.of(site);
      }
      default:
        return SiteValue.EMPTY_1;
    }
  }

  @Override
  public SiteValue copyOperation(AbstractInsnNode insn, SiteValue value) {
    return value;
  }

  @Override
  public SiteValue unaryOperation(AbstractInsnNode insn, SiteValue value) {
    switch (insn.getOpcode()) {
      case Opcodes.NEWARRAY:
        Integer site = siteIndex.get(insn);
        return site == null ? SiteValue.EMPTY_1 : SiteValue.of(site);
      case Opcodes.CHECKCAST:
        return value;
      case Opcodes.LNEG:
      case Opcodes.DNEG:
      case Opcodes.I2L:
      case Opcodes.I2D:
      case Opcodes.L2D:
      case Opcodes.F2L:
      case Opcodes.F2D:
      case Opcodes.D2L:
        return SiteValue.EMPTY_2;
      case Opcodes.GETFIELD: { // an owner-scoped field read (OwnerAnalysis) is a site of its own
        Integer field = siteIndex.get(insn);
        return field != null ? SiteValue.of(field)
            : SiteValue.empty(Type.getType(((FieldInsnNode) insn).desc).getSize());
      }
      default:
        return SiteValue.EMPTY_1;
    }
  }

  @Override
  public SiteValue binaryOperation(AbstractInsnNode insn, SiteValue value1, SiteValue value2) {
    switch (insn.getOpcode()) {
      case Opcodes.LALOAD:
      case Opcodes.DALOAD:
      case Opcodes.LADD:
      case Opcodes.DADD:
      case Opcodes.LSUB:
      case Opcodes.DSUB:
      case Opcodes.LMUL:
      case Opcodes.DMUL:
      case Opcodes.LDIV:
      case Opcodes.DDIV:
      case Opcodes.LREM:
      case Opcodes.DREM:
      case Opcodes.LSHL:
      case Opcodes.LSHR:
      case Opcodes.LUSHR:
      case Opcodes.LAND:
      case Opcodes.LOR:
      case Opcodes.LXOR:
        return SiteValue.EMPTY_2;
      default:
        return SiteValue.EMPTY_1;
    }
  }

  @Override
  public SiteValue ternaryOperation(
      AbstractInsnNode insn, SiteValue value1, SiteValue value2, SiteValue value3) {
    return null;
  }

  @Override
  public SiteValue naryOperation(AbstractInsnNode insn, List<? extends SiteValue> values) {
    String desc;
    if (insn instanceof MethodInsnNode) {
      desc = ((MethodInsnNode) insn).desc;
    } else if (insn instanceof InvokeDynamicInsnNode) {
      desc = ((InvokeDynamicInsnNode) insn).desc;
    } else {
      return SiteValue.EMPTY_1; // MULTIANEWARRAY
    }
    Integer site = siteIndex.get(insn);
    return site != null ? SiteValue.of(site) : newValue(Type.getReturnType(desc));
  }

  @Override
  public void returnOperation(AbstractInsnNode insn, SiteValue value, SiteValue expected) {}

  @Override
  public SiteValue merge(SiteValue value1, SiteValue value2) {
    return value1.union(value2);
  }
}
