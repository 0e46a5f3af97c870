package dev.rebyte.agent.analysis.owner;

import dev.rebyte.agent.analysis.EscapeAnalyzer;
import dev.rebyte.agent.analysis.callee.Callees;
import dev.rebyte.agent.analysis.flow.ControlFlow;
import dev.rebyte.agent.analysis.flow.EscapeUses;
import dev.rebyte.agent.analysis.flow.LocalLiveness;
import dev.rebyte.agent.analysis.flow.SiteInterpreter;
import dev.rebyte.agent.analysis.flow.SiteValue;
import dev.rebyte.agent.analysis.reach.CallRisk;
import dev.rebyte.agent.decision.Reason;
import dev.rebyte.agent.decision.SiteLocation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Step 3 of an {@link OwnerAnalysis}: one pass over each method of the class that reads or writes a
 * candidate or codec field. Rejects the fields whose values escape (FIELD_ESCAPES) or that are given
 * anything but fresh arrays of this class (FIELD_NOT_FRESH), adds the {@code new byte[n]} sites
 * stored into each field to its {@link FieldState}, and records where tracked arrays are alive
 * ({@link AlivePoint}) for the release check. Mutable: one per analysed class; {@link #scan} every
 * method, then {@link #finish()}.
 */
final class MethodScan {
  /*
   * Per method that reads or writes a candidate: one forward pass (SiteInterpreter) in which
   * id 0 is `this` (instance methods), every NEWARRAY T_BYTE has an id, and every GETFIELD of
   * candidate f has f's id (all reads of one field share it; TrackedIds). EscapeUses judges every use:
   * an escape of a field id rejects the field; an escape of a NEWARRAY other than a PUTFIELD
   * into a candidate is remembered against that array. Each PUTFIELD into a candidate is then
   * checked (receiver certainly `this`; value certainly fresh arrays, or the constant null),
   * and the ids still alive after it are kept (stack below its operands, locals live there:
   * LocalLiveness), as are the ids alive at every call (whole stack, live locals).
   */
  private final EscapeAnalyzer analyzer;
  private final ClassNode c;
  private final Map<String, FieldState> fields;
  private final CodecFields codecs;
  private final Callees callees;
  // Insertion-ordered (instruction nodes compare by identity anyway): finish() and a field's first
  // site follow the order of the code, so a report is the same on every run.
  private final Map<AbstractInsnNode, Set<FieldState>> storedInto = new LinkedHashMap<>();
  private final Map<AbstractInsnNode, String> siteEscapes = new IdentityHashMap<>();
  private final List<AlivePoint> alive = new ArrayList<>();
  private final Set<String> storing = new HashSet<>();

  MethodScan(EscapeAnalyzer analyzer, ClassNode c, Map<String, FieldState> fields, CodecFields codecs,
      Callees callees) {
    this.analyzer = analyzer;
    this.c = c;
    this.fields = fields;
    this.codecs = codecs;
    this.callees = callees;
  }

  /** The calls and stores where tracked arrays are alive, in method and instruction order. */
  List<AlivePoint> alive() { return alive; }

  /** The methods other than constructors that store into a candidate, {@code name+descriptor}. */
  Set<String> storing() { return storing; }

  /** The fields a tracked array may be: the field read, or the fields a new array is stored into. */
  Set<FieldState> owners(Tracked id) {
    if (id.field() != null) {
      return Set.of(id.field());
    }
    Set<FieldState> f = storedInto.get(id.newArray());
    return f == null ? Set.of() : f;
  }

  /** Step 3 for one method. */
  void scan(MethodNode m) {
    InsnList insns = m.instructions;
    boolean instance = (m.access & Opcodes.ACC_STATIC) == 0;
    TrackedIds ids = TrackedIds.of(c, m, instance, fields, codecs);
    if (ids.touched().isEmpty() && ids.touchedCodecs().isEmpty()) {
      return;
    }
    String where = m.name + m.desc;
    boolean jsr = usesJsr(insns);
    if (jsr || analyzer.overBudget(m)) {
      for (FieldState f : ids.touched()) {
        f.reject(Reason.FIELD_ESCAPES, where + (jsr ? " uses JSR/RET" : " is over the analysis budget"));
      }
      for (CodecFields.Field g : ids.touchedCodecs()) {
        g.reject("is used by " + where + ", which is not analysed");
      }
      return;
    }
    Frame<SiteValue>[] frames;
    try {
      frames = new Analyzer<>(new SiteInterpreter(ids.index(), instance ? Map.of(0, 0) : Map.of()))
          .analyze(c.name, m);
    } catch (Exception e) {
      for (FieldState f : ids.touched()) {
        f.reject(Reason.FIELD_ESCAPES, "the analysis of " + where + " failed: " + e.getMessage());
      }
      for (CodecFields.Field g : ids.touchedCodecs()) {
        g.reject("is used by " + where + ", whose analysis failed");
      }
      return;
    }
    int[] lines = EscapeAnalyzer.lines(insns);
    judgeUses(insns, instance, ids, frames, lines, where);
    checkCallsAndStores(m, instance, ids, frames, lines, where);
  }

  /** After every method was scanned: an array stored into several fields, or also escaping. */
  void finish() {
    for (Map.Entry<AbstractInsnNode, Set<FieldState>> e : storedInto.entrySet()) {
      String escape = siteEscapes.get(e.getKey());
      for (FieldState f : e.getValue()) {
        if (e.getValue().size() > 1) {
          f.reject(Reason.FIELD_NOT_FRESH, "one array is stored into " + e.getValue().size() + " fields");
        } else if (escape != null) {
          f.reject(Reason.FIELD_ESCAPES, "an array stored into it is also " + escape);
        }
      }
    }
  }

  /** Every use EscapeUses reports: of a field read, a new array, a codec read or a new codec. */
  private void judgeUses(InsnList insns, boolean instance, TrackedIds ids, Frame<SiteValue>[] frames,
      int[] lines, String where) {
    EscapeUses uses = new EscapeUses(analyzer.methods(), callees, instance ? 0 : -1);
    uses.scan(insns, frames, (value, reason, detail, at) -> {
      AbstractInsnNode insn = insns.get(at);
      boolean store = insn.getOpcode() == Opcodes.PUTFIELD && ((FieldInsnNode) insn).owner.equals(c.name);
      boolean candidateStore = store && fields.containsKey(((FieldInsnNode) insn).name);
      boolean codecStore = store && codecs.field(((FieldInsnNode) insn).name) != null;
      int operand = Operands.operand(frames[at], value, insn);
      boolean codecCall = insn instanceof MethodInsnNode
          && CodecFields.TYPES.contains(((MethodInsnNode) insn).owner);
      boolean codecReceiver = codecCall && insn.getOpcode() != Opcodes.INVOKESTATIC && operand == 0;
      Tracked input = codecCall && operand == 1 && ((MethodInsnNode) insn).name.equals("setInput")
          ? ids.only(Operands.receiver(frames[at], (MethodInsnNode) insn)) : null;
      CodecFields.Field inputOf = input != null ? input.codec() : null; // the codec given the array
      String what = reason + (detail.isEmpty() ? "" : " " + detail) + " in " + where + at(lines[at]);
      for (int s : value.sites()) {
        Tracked key = ids.at(s);
        switch (key.kind) {
          case CODEC_READ:
            if (!codecReceiver) {
              key.codec().reject("is " + what);
            }
            break;
          case NEW_CODEC:
            CodecFields.Fresh fresh = key.newCodec();
            if (!codecReceiver && !codecStore && fresh.escape == null) {
              fresh.escape = what;
            }
            break;
          case FIELD_READ:
            if (inputOf != null) {
              codecs.input(key.field(), inputOf, what);
            } else {
              key.field().reject(Reason.FIELD_ESCAPES, what);
            }
            break;
          case NEW_ARRAY:
            if (!candidateStore) {
              siteEscapes.putIfAbsent(key.newArray(), what);
            }
            break;
          default: // THIS: EscapeUses does not judge its uses
            break;
        }
      }
    });
  }

  /** The tracked arrays alive at every call; every store into a candidate or codec field checked. */
  private void checkCallsAndStores(MethodNode m, boolean instance, TrackedIds ids,
      Frame<SiteValue>[] frames, int[] lines, String where) {
    InsnList insns = m.instructions;
    ControlFlow cfg = ControlFlow.of(m);
    LocalLiveness liveness = LocalLiveness.of(insns, cfg);
    int superCall = "<init>".equals(m.name) ? Operands.superCall(insns, frames) : -1;
    for (int i = 0; i < frames.length; i++) {
      Frame<SiteValue> f = frames[i];
      AbstractInsnNode insn = insns.get(i);
      if (f == null) {
        continue;
      }
      if (insn instanceof MethodInsnNode) {
        Set<Tracked> arrays = ids.aliveArrays(f, 0, i, liveness, Set.of());
        if (!arrays.isEmpty()) {
          boolean[] t = instance ? CallRisk.thisOperands(f, (MethodInsnNode) insn) : new boolean[2];
          alive.add(new AlivePoint((MethodInsnNode) insn, null, arrays, where + at(lines[i]), t[0], t[1]));
        }
        continue;
      }
      if (insn.getOpcode() != Opcodes.PUTFIELD || !((FieldInsnNode) insn).owner.equals(c.name)) {
        continue;
      }
      String here = where + at(lines[i]);
      SiteValue value = f.getStack(f.getStackSize() - 1);
      SiteValue receiver = f.getStack(f.getStackSize() - 2);
      CodecFields.Field codec = codecs.field(((FieldInsnNode) insn).name);
      if (codec != null) {
        Tracked k = ids.only(value);
        if (!instance || receiver.onlySite() != 0) {
          codec.reject("is stored into an object other than this in " + here);
        } else if (k != null && k.newCodec() != null) {
          codec.stores.add(k.newCodec());
        } else if (!Operands.isNull(insn.getPrevious())) {
          codec.reject("is given a codec that is not a new one of this class in " + here);
        }
        continue;
      }
      FieldState field = fields.get(((FieldInsnNode) insn).name);
      if (field == null) {
        continue;
      }
      if (!instance || receiver.onlySite() != 0) {
        field.reject(Reason.FIELD_NOT_FRESH, "stored into an object other than this in " + here);
        continue;
      }
      if (superCall >= 0 && i < superCall) {
        field.reject(Reason.FIELD_NOT_FRESH, "stored before the super constructor call in " + here);
        continue;
      }
      if (!"<init>".equals(m.name)) {
        storing.add(m.name + m.desc);
        field.replacedLater = true;
      }
      Map<AbstractInsnNode, Tracked> fresh = new LinkedHashMap<>(); // NEWARRAY -> its id, in id order
      if (!Operands.isNull(insn.getPrevious())) {
        for (int s : value.sites()) {
          Tracked key = ids.at(s);
          if (key.newArray() != null) {
            fresh.put(key.newArray(), key);
          }
        }
        if (value.mayBeForeign() || fresh.size() != value.sites().length) {
          field.reject(Reason.FIELD_NOT_FRESH,
              "assigned a value that is not a new byte[] of this method in " + here);
          continue;
        }
      }
      Set<Tracked> keep = new HashSet<>();
      for (Map.Entry<AbstractInsnNode, Tracked> e : fresh.entrySet()) {
        AbstractInsnNode site = e.getKey();
        storedInto.computeIfAbsent(site, k -> new LinkedHashSet<>()).add(field);
        addSite(field, site, m, lines[insns.indexOf(site)]);
        if (!cfg.onCycle(insns.indexOf(site))) {
          keep.add(e.getValue()); // the array just stored, the only one of its site alive here
        }
      }
      Set<Tracked> arrays = ids.aliveArrays(f, 2, i, liveness, keep);
      if (!arrays.isEmpty()) {
        alive.add(new AlivePoint(null, field, arrays, here));
      }
    }
  }

  private void addSite(FieldState field, AbstractInsnNode site, MethodNode m, int line) {
    int length = EscapeAnalyzer.constantLength(site.getPrevious());
    if (length >= 0 && length < analyzer.minSize()) {
      return; // left alone, like any small constant site
    }
    if (field.sites.add(site)) {
      field.bytes = length < 0 || field.bytes < 0 ? -1 : Math.max(field.bytes, length);
      if (field.first == null) {
        field.first = new SiteLocation(c.name.replace('/', '.'), m.name, m.desc, line, length);
      }
    }
  }

  private static boolean usesJsr(InsnList insns) {
    for (AbstractInsnNode insn = insns.getFirst(); insn != null; insn = insn.getNext()) {
      if (insn.getOpcode() == Opcodes.JSR || insn.getOpcode() == Opcodes.RET) {
        return true;
      }
    }
    return false;
  }

  private static String at(int line) {
    return line < 0 ? "" : " @" + line;
  }
}
