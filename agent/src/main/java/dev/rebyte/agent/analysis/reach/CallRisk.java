package dev.rebyte.agent.analysis.reach;

import dev.rebyte.agent.analysis.flow.SiteValue;
import dev.rebyte.agent.classfile.ClassFiles;
import dev.rebyte.agent.classfile.ClassNodes;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Whether a call made while a copy of an owned array is alive may reach a release method (or a
 * method that replaces the field) of the same object, for the owner analysis' release points: the
 * calls of the release set itself are judged there; this judges every other call. Mutable (memoises); one per
 * analysed class.
 */
public final class CallRisk {
  /*
   * A call can run this object's close() only through a reference to this object. So:
   *  - a call passing `this` as an argument may reach it ("passes this to ...");
   *  - a call of the class's own method bound statically (static, private, final, in a final
   *    class, or invokespecial) may reach it iff its body has a call that may (fixpoint over the
   *    class's own methods, a cycle by itself reaches nothing);
   *  - any other call on `this` may: a virtual call on this to a method that is not final can be
   *    overridden by a subclass; an interface or super call runs code the class does not bind;
   *  - a call that receives no `this` (another object, a static) may reach it only if `this`
   *    escaped to somewhere that code can reach. The class's own code lets it escape when some
   *    method (constructors included, and the superclass methods and constructors it runs on
   *    this, read from class files) stores `this` or a new object of the class anywhere, passes
   *    it as an argument, captures it in an invokedynamic, or calls on it a method that cannot
   *    be read. When it does, every call other than a few JDK static methods that call no user
   *    code (Math, System.arraycopy) may reach close(); when it does not, such a call is safe.
   * Limit (documented with rebyte.owners): code outside the class -- its callers, its subclasses
   * -- may hand `this` to the objects the class calls (a stream that closes its caller); that is
   * not seen. JDK superclass code is trusted only for the I/O base classes and Object, and only
   * for methods it declares.
   */
  private static final Set<String> CALL_NO_CODE = Set.of("java/lang/Math", "java/lang/StrictMath");

  private final ClassNode c;
  private final Predicate<MethodInsnNode> releases;
  private final Map<String, String> reach = new HashMap<>(); // own method -> why it may release, "" if not
  private final ThisEscape escape;

  /** @param releases whether a call is one of the release set (judged by ReleasePoints) */
  public CallRisk(ClassNode c, ClassFiles files, Predicate<MethodInsnNode> releases) {
    this.c = c;
    this.escape = new ThisEscape(c, files);
    this.releases = releases;
  }

  /**
   * Why {@code call} may reach a release method of this object, or null when it cannot.
   * @param onThis whether its receiver may be {@code this}
   * @param passesThis whether an argument may be {@code this}
   */
  public String risk(MethodInsnNode call, boolean onThis, boolean passesThis) {
    String callee = call.owner.replace('/', '.') + "." + call.name + call.desc;
    if (passesThis) {
      return "passes this to " + callee;
    }
    MethodNode own = bound(call);
    if (own != null) {
      String why = reaches(own);
      return why == null ? null : "calls " + callee + ", which " + why;
    }
    if (onThis) {
      switch (call.getOpcode()) {
        case Opcodes.INVOKEINTERFACE:
          return "interface call " + callee + " on this";
        case Opcodes.INVOKESPECIAL:
          return "super call " + callee + ": unknown callee receiving this";
        default:
          if (call.owner.equals("java/lang/Object") && !call.name.equals("equals")
              && !call.name.equals("toString") && !call.name.equals("hashCode")) {
            return null; // getClass, notify, wait: final methods of Object
          }
          return "virtual call on this " + callee + ", not final: a subclass may override it to call close()";
      }
    }
    if (call.getOpcode() == Opcodes.INVOKESTATIC && (CALL_NO_CODE.contains(call.owner)
        || call.owner.equals("java/lang/System") && call.name.equals("arraycopy"))) {
      return null;
    }
    String e = escape.where();
    if (e == null) {
      return null;
    }
    String kind = call.getOpcode() == Opcodes.INVOKEINTERFACE ? "interface call " : "unknown callee ";
    return kind + callee + ", and this escapes (" + e + ")";
  }

  /** The class's own method a call is bound to, or null. */
  private MethodNode bound(MethodInsnNode call) {
    if (!call.owner.equals(c.name) || call.name.equals("<init>")) {
      return null;
    }
    MethodNode m = ClassNodes.declared(c, call.name, call.desc);
    if (m == null || (m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
      return null;
    }
    boolean bound = call.getOpcode() == Opcodes.INVOKESTATIC || call.getOpcode() == Opcodes.INVOKESPECIAL
        || (m.access & (Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL)) != 0 || (c.access & Opcodes.ACC_FINAL) != 0;
    return bound ? m : null;
  }

  /** Why a bound own method may reach a release method, or null. */
  private String reaches(MethodNode m) {
    String key = m.name + m.desc;
    String known = reach.get(key);
    if (known != null) {
      return known.isEmpty() ? null : known;
    }
    reach.put(key, ""); // in progress: a cycle by itself reaches nothing
    String why = null;
    Frame<SiteValue>[] frames = ThisEscape.frames(c.name, m, Map.of());
    if (frames == null) {
      why = "could not be analysed";
    }
    for (int i = 0; why == null && i < frames.length; i++) {
      AbstractInsnNode insn = m.instructions.get(i);
      if (!(insn instanceof MethodInsnNode) || frames[i] == null) {
        continue;
      }
      MethodInsnNode call = (MethodInsnNode) insn;
      if (releases.test(call)) {
        why = "calls " + call.name + call.desc;
      } else {
        boolean[] t = thisOperands(frames[i], call);
        why = risk(call, t[0], t[1]);
      }
    }
    reach.put(key, why == null ? "" : why);
    return why;
  }

  /** [receiver may be this, an argument may be this] of a call in a frame (site 0 is this). */
  public static boolean[] thisOperands(Frame<SiteValue> f, MethodInsnNode call) {
    int args = Type.getArgumentTypes(call.desc).length;
    boolean stat = call.getOpcode() == Opcodes.INVOKESTATIC;
    int n = args + (stat ? 0 : 1);
    boolean[] out = new boolean[2];
    for (int k = 0; k < n; k++) {
      if (f.getStack(f.getStackSize() - n + k).contains(0)) {
        out[!stat && k == 0 ? 0 : 1] = true;
      }
    }
    return out;
  }

}
