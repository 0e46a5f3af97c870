package dev.rebyte.agent.analysis.callee;

import dev.rebyte.agent.analysis.jdk.NonRetainingMethods;
import dev.rebyte.agent.classfile.ClassFiles;
import dev.rebyte.agent.classfile.ClassNodes;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Binds a call to the method it runs ({@link Binding}), reading the class files of its owner and
 * their supertypes; keeps the class nodes it read. One per {@link Callees}: one transform, one thread.
 */
final class CallBinder {
  /*
   * Binding (which method a call runs is known from the class files alone):
   *   INVOKESTATIC                  the static method found in the owner or its super classes
   *   INVOKESPECIAL <init>          the owner's constructor
   *   INVOKESPECIAL private         the owner's method
   *   INVOKEVIRTUAL/INTERFACE       the resolved method when it is private or final, or when the
   *                                 owner class is final (the receiver's class is then the owner)
   *   anything else                 not bound: a subclass may override it (super calls included)
   * Contracts: a call that is not bound but overrides (or inherits) a trusted JDK method of a
   * supertype -- InputStream.read([BII)I, OutputStream.write([BII)V, Checksum.update([BII)V... --
   * is as safe as a call through that supertype, which the list already trusts for every
   * implementation: the JDK type's documented contract binds every override. Unknown overrides are
   * covered by the contract; the implementation the class files show, when there is one with code,
   * is still summarised (an implementation that visibly keeps the array is caught).
   * Owners in the JDK (java/, javax/, jdk/, sun/, com/sun/) are never summarised: only the
   * NonRetainingMethods list speaks for them (what the JDK does may differ between JDKs), except
   * that a bound call that resolves to a trusted JDK method is trusted.
   */
  private static final String[] JDK = {"java/", "javax/", "jdk/", "sun/", "com/sun/"};
  private static final String UNBOUND = "not statically bound: a subclass may override it";

  private final ClassFiles files;
  private final ClassNode self;
  private final Map<String, ClassNode> nodes = new HashMap<>();
  private final Map<String, String[]> supertypes = new HashMap<>();
  private NonRetainingMethods methods;

  /** @param self the class being transformed, answered from its node; null for none */
  CallBinder(ClassFiles files, ClassNode self) {
    this.files = files;
    this.self = self;
  }

  /** The trusted list the contracts rely on; until it is given, no call is trusted by contract. */
  void trust(NonRetainingMethods methods) {
    this.methods = methods;
  }

  /**
   * Resolves a call: the resolved method, unbound with a note, trusted when bound to a trusted JDK
   * method or covered by its contract, or unreadable (an opaque summary) when a class file is missing.
   */
  Binding bind(MethodInsnNode call) {
    ClassNode owner = node(call.owner);
    if (owner == null) {
      return Binding.unreadable(MethodSummary.opaque(call.owner + "." + call.name + call.desc,
          "cannot read the class file of " + call.owner, false));
    }
    int op = call.getOpcode();
    String declaring = call.owner;
    MethodNode m = ClassNodes.declared(owner, call.name, call.desc);
    if (m == null && op != Opcodes.INVOKESPECIAL && op != Opcodes.INVOKEINTERFACE) {
      for (String sup = owner.superName; sup != null && m == null; ) {
        if (isJdk(sup)) {
          boolean trusted = methods != null
              && methods.verdict(sup, call.name, call.desc) == NonRetainingMethods.Verdict.TRUSTED;
          // static or final: bound to the JDK method; virtual: every override keeps its contract
          return trusted ? Binding.TRUSTED : op != Opcodes.INVOKESTATIC
              && contract(sup, call.name, call.desc) != null ? Binding.TRUSTED : Binding.unbound(UNBOUND);
        }
        ClassNode c = node(sup);
        if (c == null) {
          return Binding.unreadable(MethodSummary.opaque(call.owner + "." + call.name + call.desc,
              "cannot read the class file of " + sup, false));
        }
        m = ClassNodes.declared(c, call.name, call.desc);
        declaring = sup;
        sup = c.superName;
      }
    }
    if (m == null) {
      return op != Opcodes.INVOKESTATIC && contract(call.owner, call.name, call.desc) != null
          ? Binding.TRUSTED : Binding.unbound(UNBOUND + " (no declaration found)");
    }
    boolean isStatic = (m.access & Opcodes.ACC_STATIC) != 0;
    boolean isPrivate = (m.access & Opcodes.ACC_PRIVATE) != 0;
    boolean bound;
    switch (op) {
      case Opcodes.INVOKESTATIC:
        bound = isStatic;
        break;
      case Opcodes.INVOKESPECIAL:
        bound = !isStatic && (isPrivate || "<init>".equals(call.name));
        break;
      default:
        bound = !isStatic && (isPrivate || (m.access & Opcodes.ACC_FINAL) != 0
            || ((owner.access & Opcodes.ACC_FINAL) != 0 && (owner.access & Opcodes.ACC_INTERFACE) == 0));
        break;
    }
    if (!bound && !isStatic && contract(declaring, call.name, call.desc) != null) {
      // overrides a JDK contract: other overrides keep it; summarise the one we can see, if any
      return m.instructions.size() > 0 ? Binding.resolved(declaring + "." + call.name + call.desc)
          : Binding.TRUSTED;
    }
    return bound ? Binding.resolved(declaring + "." + call.name + call.desc) : Binding.unbound(UNBOUND);
  }

  /**
   * A JDK supertype of {@code owner} (itself included) on whose method {@code name+desc} the
   * trusted list relies, or null. Reads only class headers; at most 32 types.
   */
  private String contract(String owner, String name, String desc) {
    if (methods == null || "<init>".equals(name)) {
      return null;
    }
    ArrayDeque<String> work = new ArrayDeque<>();
    work.add(owner);
    Set<String> seen = new HashSet<>();
    while (!work.isEmpty() && seen.size() < 32) {
      String t = work.poll();
      if (!seen.add(t)) {
        continue;
      }
      if (isJdk(t) && methods.verdict(t, name, desc) == NonRetainingMethods.Verdict.TRUSTED) {
        return t;
      }
      String[] up = supertypes.computeIfAbsent(t, files::directSupertypes);
      if (up != null) {
        Collections.addAll(work, up);
      }
    }
    return null;
  }

  /** The class, read once; null when its class file is missing or unreadable. */
  ClassNode node(String internalName) {
    if (self != null && self.name.equals(internalName)) {
      return self;
    }
    return nodes.computeIfAbsent(internalName, n -> ClassNodes.read(files, n, ClassReader.SKIP_FRAMES));
  }

  static boolean isJdk(String internalName) {
    for (String p : JDK) {
      if (internalName.startsWith(p)) {
        return true;
      }
    }
    return false;
  }
}
