package dev.rebyte.agent.analysis.owner;

import dev.rebyte.agent.analysis.flow.LocalLiveness;
import dev.rebyte.agent.analysis.flow.SiteValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * The site ids of one method for a {@link MethodScan}: which instructions the
 * {@code SiteInterpreter} gives an id, and what each id stands for ({@link Tracked}). Also which
 * candidate and codec fields the method reads or writes. Built once per method, then read only.
 */
final class TrackedIds {
  /*
   * Ids in instruction order: id 0 is `this` (instance methods), every NEWARRAY T_BYTE and every
   * new Inflater/Deflater (when the class has a codec field) has an id of its own, and every
   * GETFIELD of candidate f has f's id (all reads of one field share it), as does every GETFIELD
   * of one codec field. A PUTFIELD marks its field touched but has no id.
   */
  private final Map<AbstractInsnNode, Integer> index = new IdentityHashMap<>();
  private final List<Tracked> keys = new ArrayList<>();
  private final Set<FieldState> touched = new LinkedHashSet<>();
  private final Set<CodecFields.Field> touchedCodecs = new LinkedHashSet<>();

  private TrackedIds() {}

  /** The ids of method {@code m} of class {@code c}; {@code instance} when local 0 is {@code this}. */
  static TrackedIds of(ClassNode c, MethodNode m, boolean instance, Map<String, FieldState> fields,
      CodecFields codecs) {
    TrackedIds ids = new TrackedIds();
    if (instance) {
      ids.add(Tracked.thisObject());
    }
    Map<FieldState, Integer> fieldIds = new HashMap<>();
    Map<CodecFields.Field, Integer> codecIds = new HashMap<>();
    for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
      int op = insn.getOpcode();
      if (op == Opcodes.NEWARRAY && ((IntInsnNode) insn).operand == Opcodes.T_BYTE) {
        ids.index.put(insn, ids.add(Tracked.newArray(insn)));
      } else if (op == Opcodes.NEW && !codecs.isEmpty()
          && CodecFields.TYPES.contains(((TypeInsnNode) insn).desc)) {
        ids.index.put(insn, ids.add(Tracked.newCodec(new CodecFields.Fresh(insn))));
      } else if ((op == Opcodes.GETFIELD || op == Opcodes.PUTFIELD)
          && ((FieldInsnNode) insn).owner.equals(c.name)) {
        String name = ((FieldInsnNode) insn).name;
        CodecFields.Field g = codecs.field(name);
        FieldState f = g == null ? fields.get(name) : null;
        if (g != null) {
          ids.touchedCodecs.add(g);
          if (op == Opcodes.GETFIELD) {
            ids.index.put(insn, codecIds.computeIfAbsent(g, k -> ids.add(Tracked.codecRead(k))));
          }
        } else if (f != null) {
          ids.touched.add(f);
          if (op == Opcodes.GETFIELD) {
            ids.index.put(insn, fieldIds.computeIfAbsent(f, k -> ids.add(Tracked.fieldRead(k))));
          }
        }
      }
    }
    return ids;
  }

  private int add(Tracked key) {
    keys.add(key);
    return keys.size() - 1;
  }

  /** Instruction to site id, for the {@code SiteInterpreter}. */
  Map<AbstractInsnNode, Integer> index() { return index; }

  /** What site id {@code id} stands for. */
  Tracked at(int id) { return keys.get(id); }

  /** What {@code v} certainly is (its only site), or null when it may be more than one or none. */
  Tracked only(SiteValue v) {
    return v.onlySite() >= 0 ? keys.get(v.onlySite()) : null;
  }

  /** The candidate fields the method reads or writes. */
  Set<FieldState> touched() { return touched; }

  /** The codec fields the method reads or writes. */
  Set<CodecFields.Field> touchedCodecs() { return touchedCodecs; }

  /**
   * Tracked arrays ({@link Tracked#isArray()}) on the stack of {@code f} (below {@code skip} top
   * entries) or in locals live at instruction {@code i}, but for those in {@code except}.
   */
  Set<Tracked> aliveArrays(Frame<SiteValue> f, int skip, int i, LocalLiveness liveness, Set<Tracked> except) {
    Set<Tracked> out = new LinkedHashSet<>();
    for (int k = 0; k < f.getStackSize() - skip; k++) {
      collect(f.getStack(k), except, out);
    }
    for (int l = 0; l < f.getLocals(); l++) {
      if (!f.getLocal(l).isEmpty() && liveness.isLiveBefore(i, l)) {
        collect(f.getLocal(l), except, out);
      }
    }
    return out;
  }

  private void collect(SiteValue v, Set<Tracked> except, Set<Tracked> out) {
    for (int s : v.sites()) {
      Tracked key = keys.get(s);
      if (key.isArray() && !except.contains(key)) {
        out.add(key);
      }
    }
  }
}
