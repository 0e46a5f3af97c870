package dev.rebyte.agent.analysis.owner;

import dev.rebyte.agent.analysis.reach.CallRisk;
import dev.rebyte.agent.classfile.ClassFiles;
import dev.rebyte.agent.decision.Reason;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Step 4 of an {@link OwnerAnalysis}: where the owned arrays of a class are released. Its release
 * methods (the class's own {@code close()V} when it is Closeable, or a method named in
 * rebyte.owner.release), where the rewrite releases them; the set of methods whose calls may release
 * or replace an owned array; and the checks on them: LIVE_ACROSS_RELEASE for what the
 * {@link MethodScan} found alive there, NO_RELEASE_POINT when the class has no release method.
 */
final class ReleasePoints {
  /*
   * Release set R: the release methods, every non-constructor method that stores into a
   * candidate (a store releases the old array), and, to a fixpoint, every method of the class
   * that calls a member of R (same name and descriptor, on this class -- or on any type for the
   * release methods themselves, e.g. Closeable.close()). Any call matching R with a copy of
   * the field's array alive (held in a live local or on the stack, operands included) means
   * that copy may be used after its release: LIVE_ACROSS_RELEASE. So does a store after which
   * the old array is still alive (the stored array itself excepted, when its NEWARRAY is not
   * on a cycle: then the only array of that site alive is the one just stored).
   * Any other call with a copy alive is judged by CallRisk (calls on this that a subclass may
   * override, interface and super calls on this, calls passing this, and unknown callees when
   * this escapes): if it may reach a release method, that is LIVE_ACROSS_RELEASE too.
   */
  private final ClassNode c;
  private final List<String> methods;
  private final ClassFiles files;

  /**
   * @param configured rebyte.owner.release entries, {@code com.acme.Codec#end}
   * @param closeable whether the class certainly is Closeable or AutoCloseable
   * @param files class files, to read the superclass code a call on this runs (CallRisk)
   */
  ReleasePoints(ClassNode c, List<String> configured, boolean closeable, ClassFiles files) {
    this.c = c;
    this.files = files;
    this.methods = releaseMethods(c, configured, closeable);
  }

  /** The release methods the class declares, {@code name+descriptor}; unmodifiable. */
  List<String> methods() { return methods; }

  /**
   * Rejects a field whose array is alive across a call that may release or replace it, or after the
   * store that replaces it (LIVE_ACROSS_RELEASE), then every field when the class has no release
   * method (NO_RELEASE_POINT). After every method was scanned.
   */
  void check(Collection<FieldState> fields, MethodScan scan) {
    Set<String> r = releaseSet(scan.storing());
    CallRisk risks = new CallRisk(c, files, call -> matches(call, r));
    for (AlivePoint a : scan.alive()) {
      String risk = null;
      if (a.call != null && !matches(a.call, r)) {
        risk = risks.risk(a.call, a.onThis, a.passesThis);
        if (risk == null) {
          continue;
        }
      }
      for (Tracked id : a.ids) {
        for (FieldState f : scan.owners(id)) {
          if (a.call != null && risk != null) {
            f.reject(Reason.LIVE_ACROSS_RELEASE, a.where + " keeps a copy of " + f.node.name
                + " across a call that may reach a release method: " + risk);
          } else if (a.call != null) {
            f.reject(Reason.LIVE_ACROSS_RELEASE, a.where + " keeps a copy of " + f.node.name
                + " across a call to " + a.call.name + a.call.desc + ", which may release or replace it");
          } else if (f == a.stored) {
            f.reject(Reason.LIVE_ACROSS_RELEASE, a.where + " still holds the old array of "
                + f.node.name + " after replacing it");
          }
        }
      }
    }
    if (methods.isEmpty()) {
      for (FieldState f : fields) {
        f.reject(Reason.NO_RELEASE_POINT,
            "the class has no close() of its own and no rebyte.owner.release method");
      }
    }
  }

  /** The release methods the class declares, {@code name+descriptor}. */
  private static List<String> releaseMethods(ClassNode c, List<String> configured, boolean closeable) {
    List<String> out = new ArrayList<>();
    String dotted = c.name.replace('/', '.');
    for (MethodNode m : c.methods) {
      if ((m.access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0
          || m.instructions.size() == 0) {
        continue;
      }
      boolean close = closeable && m.name.equals("close") && m.desc.equals("()V");
      if ((close || configured.contains(dotted + "#" + m.name)) && !storesThis(m)) {
        out.add(m.name + m.desc);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Whether the method overwrites local 0 (then the release code could not find {@code this}). */
  private static boolean storesThis(MethodNode m) {
    for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
      if (insn.getOpcode() == Opcodes.ASTORE && ((VarInsnNode) insn).var == 0) {
        return true;
      }
    }
    return false;
  }

  /** The methods that may release or replace an owned array, {@code name+descriptor}. */
  private Set<String> releaseSet(Set<String> storing) {
    Set<String> r = new HashSet<>(methods);
    r.addAll(storing);
    boolean changed = true;
    while (changed) {
      changed = false;
      for (MethodNode m : c.methods) {
        String key = m.name + m.desc;
        if (r.contains(key) || "<init>".equals(m.name)) {
          continue;
        }
        for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
          if (insn instanceof MethodInsnNode && matches((MethodInsnNode) insn, r)) {
            r.add(key);
            changed = true;
            break;
          }
        }
      }
    }
    return r;
  }

  private boolean matches(MethodInsnNode call, Set<String> r) {
    String key = call.name + call.desc;
    return r.contains(key) && (call.owner.equals(c.name) || methods.contains(key));
  }
}
