package dev.rebyte.agent.analysis.owner;

import dev.rebyte.agent.classfile.ClassFiles;
import dev.rebyte.agent.decision.Reason;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Steps 1 and 2 of an {@link OwnerAnalysis}: which {@code byte[]} fields of a class are candidates,
 * and the checks made on the class and each field's declaration, before any method is scanned
 * (FIELD_NOT_PRIVATE, OWNER_CLONEABLE, OWNER_SERIALIZABLE, FIELD_FINAL, FIELD_REFLECTED,
 * FIELD_USED_BY_NESTMATE, in this order). Also tells whether the class is Closeable, for its release
 * methods. Reads class files only, never loads a class.
 */
final class ClassChecks {
  /*
   * Class checks (supertypes read from class files, never loaded): Cloneable, Serializable,
   * Closeable; string constants; nestmates' class files scanned for GETFIELD/PUTFIELD of the
   * field (an unreadable nestmate counts as a use).
   */
  private static final String CLONEABLE = "java/lang/Cloneable";
  private static final String SERIALIZABLE = "java/io/Serializable";
  private static final Set<String> CLOSEABLE = Set.of("java/io/Closeable", "java/lang/AutoCloseable");
  private static final int MAX_SUPERTYPES = 64;

  private final ClassNode c;
  private final ClassFiles files;
  private final Set<String> supertypes;

  /** Reads the supertypes of {@code c} (class headers only), once for every check. */
  ClassChecks(ClassNode c, ClassFiles files) {
    this.c = c;
    this.files = files;
    this.supertypes = supertypes();
  }

  /** Step 1. */
  static Map<String, FieldState> candidates(ClassNode c) {
    Map<String, FieldState> byName = new LinkedHashMap<>();
    for (FieldNode f : c.fields) {
      if ((f.access & Opcodes.ACC_STATIC) == 0 && "[B".equals(f.desc)) {
        byName.put(f.name, new FieldState(f));
      }
    }
    if (byName.isEmpty()) {
      return byName;
    }
    Set<String> stored = new HashSet<>();
    for (MethodNode m : c.methods) {
      for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
        if (insn.getOpcode() == Opcodes.PUTFIELD && ((FieldInsnNode) insn).owner.equals(c.name)) {
          stored.add(((FieldInsnNode) insn).name);
        }
      }
    }
    byName.keySet().retainAll(stored);
    return byName;
  }

  /** Whether the class certainly is Closeable or AutoCloseable (false when a supertype is unreadable). */
  boolean closeable() {
    return implementsAny(CLOSEABLE) == Boolean.TRUE;
  }

  /** Step 2. */
  void check(Map<String, FieldState> fields, boolean mayUnfinal) {
    Boolean cloneable = implementsAny(Set.of(CLONEABLE));
    Boolean serializable = implementsAny(Set.of(SERIALIZABLE));
    for (FieldState f : fields.values()) {
      if ((f.node.access & Opcodes.ACC_PRIVATE) == 0) {
        f.reject(Reason.FIELD_NOT_PRIVATE, "not private");
      }
      if (cloneable != Boolean.FALSE) {
        f.reject(Reason.OWNER_CLONEABLE,
            cloneable == null ? "a supertype could not be read" : "the class is Cloneable");
      }
      if ((f.node.access & Opcodes.ACC_TRANSIENT) == 0 && serializable != Boolean.FALSE) {
        f.reject(Reason.OWNER_SERIALIZABLE,
            serializable == null ? "a supertype could not be read"
                : "the class is Serializable and the field is not transient");
      }
      if (!mayUnfinal && (f.node.access & Opcodes.ACC_FINAL) != 0 && (c.version & 0xFFFF) >= Opcodes.V9) {
        f.reject(Reason.FIELD_FINAL,
            "final, and retransformation cannot make it non-final to empty it at close()");
      }
    }
    for (MethodNode m : c.methods) {
      for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
        if (insn instanceof LdcInsnNode && ((LdcInsnNode) insn).cst instanceof String) {
          FieldState f = fields.get(((LdcInsnNode) insn).cst);
          if (f != null) {
            f.reject(Reason.FIELD_REFLECTED,
                "\"" + f.node.name + "\" is a string constant in " + m.name + m.desc);
          }
        }
      }
    }
    for (String mate : nestmates()) {
      byte[] bytes = files.classFile(mate);
      if (bytes == null) {
        for (FieldState f : fields.values()) {
          f.reject(Reason.FIELD_USED_BY_NESTMATE,
              "the class file of nestmate " + mate + " could not be read");
        }
        continue;
      }
      ClassNode other = new ClassNode();
      new ClassReader(bytes).accept(other, ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
      for (MethodNode m : other.methods) {
        for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
          if (insn instanceof FieldInsnNode && ((FieldInsnNode) insn).owner.equals(c.name)) {
            FieldState f = fields.get(((FieldInsnNode) insn).name);
            if (f != null) {
              f.reject(Reason.FIELD_USED_BY_NESTMATE, mate + "." + m.name + m.desc + " uses it");
            }
          }
        }
      }
    }
  }

  /** The other members of the class's nest (NestHost/NestMembers attributes, Java 11+). */
  private Set<String> nestmates() {
    Set<String> out = new LinkedHashSet<>();
    if (c.nestMembers != null) {
      out.addAll(c.nestMembers);
    }
    if (c.nestHostClass != null) {
      out.add(c.nestHostClass);
      byte[] host = files.classFile(c.nestHostClass);
      if (host != null) {
        ClassNode h = new ClassNode();
        new ClassReader(host).accept(h, ClassReader.SKIP_CODE);
        if (h.nestMembers != null) {
          out.addAll(h.nestMembers);
        }
      }
    }
    out.remove(c.name);
    return out;
  }

  /** TRUE if one of the supertypes is one of {@code targets}, FALSE if none, null if unknown. */
  private Boolean implementsAny(Set<String> targets) {
    for (String t : targets) {
      if (supertypes.contains(t)) {
        return Boolean.TRUE;
      }
    }
    return supertypes.contains(null) ? null : Boolean.FALSE;
  }

  /** Every supertype of {@code c} (class headers only); contains null when some could not be read. */
  private Set<String> supertypes() {
    ArrayDeque<String> work = new ArrayDeque<>();
    if (c.superName != null) {
      work.add(c.superName);
    }
    work.addAll(c.interfaces);
    Set<String> seen = new HashSet<>();
    while (!work.isEmpty() && seen.size() < MAX_SUPERTYPES) {
      String t = work.poll();
      if (!seen.add(t) || t.equals("java/lang/Object")) {
        continue;
      }
      String[] up = files.directSupertypes(t);
      if (up == null) {
        seen.add(null);
      } else {
        Collections.addAll(work, up);
      }
    }
    if (!work.isEmpty()) {
      seen.add(null); // too deep to tell
    }
    return seen;
  }
}
