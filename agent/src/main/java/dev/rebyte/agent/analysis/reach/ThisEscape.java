package dev.rebyte.agent.analysis.reach;

import dev.rebyte.agent.analysis.flow.SiteInterpreter;
import dev.rebyte.agent.analysis.flow.SiteValue;
import dev.rebyte.agent.classfile.ClassFiles;
import dev.rebyte.agent.classfile.ClassNodes;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Whether the class's own code lets {@code this} (or a new object of the class) escape, for
 * {@link CallRisk}: once it has, a call on another object may reach this one. Computed once per
 * class, on first use. Mutable (memoises); one per analysed class.
 */
final class ThisEscape {
  /*
   * Every method of the class (constructors included), and the superclass methods and
   * constructors it runs on this, read from class files, is scanned for a store of this (field,
   * static, array), an argument that may be this, an invokedynamic capturing it, and a call on it
   * that cannot be read (an interface call, an abstract or native method, a missing class file). JDK
   * superclass code is trusted only for the I/O base classes and Object, and only for the methods
   * they declare. Reading stops after MAX_METHODS methods, which counts as an escape.
   */
  private static final Set<String> TRUSTED_BASES = Set.of("java/lang/Object", "java/io/InputStream",
      "java/io/OutputStream", "java/io/FilterInputStream", "java/io/FilterOutputStream",
      "java/io/Reader", "java/io/Writer");
  private static final int MAX_METHODS = 256;

  /** A method to read and the class that declares it. */
  private static final class Code {
    /** A method a trusted JDK base class declares: nothing to read. */
    static final Code TRUSTED = new Code(null, null);

    final ClassNode owner;
    final MethodNode method;

    Code(ClassNode owner, MethodNode method) {
      this.owner = owner;
      this.method = method;
    }
  }

  private final ClassNode c;
  private final ClassFiles files;
  private final Map<String, ClassNode> classes = new HashMap<>();
  private String escape;
  private boolean known;

  ThisEscape(ClassNode c, ClassFiles files) {
    this.c = c;
    this.files = files;
  }

  /** Where the class's own code lets this (or a new object of the class) escape, or null. */
  String where() {
    if (known) {
      return escape;
    }
    known = true;
    ArrayDeque<Code> work = new ArrayDeque<>();
    Set<MethodNode> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (MethodNode m : c.methods) {
      work.add(new Code(c, m));
      seen.add(m);
    }
    while (!work.isEmpty() && escape == null) {
      Code next = work.poll();
      ClassNode owner = next.owner;
      MethodNode m = next.method;
      String where = owner.name.replace('/', '.') + "." + m.name + m.desc;
      Map<AbstractInsnNode, Integer> news = new IdentityHashMap<>();
      for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
        if (insn.getOpcode() == Opcodes.NEW && ((TypeInsnNode) insn).desc.equals(c.name)) {
          news.put(insn, 0);
        }
      }
      Frame<SiteValue>[] frames = frames(owner.name, m, news);
      if (frames == null) {
        escape = where + " could not be analysed";
        break;
      }
      for (int i = 0; escape == null && i < frames.length; i++) {
        Frame<SiteValue> f = frames[i];
        AbstractInsnNode insn = m.instructions.get(i);
        if (f == null) {
          continue;
        }
        int op = insn.getOpcode();
        if (op == Opcodes.PUTFIELD || op == Opcodes.PUTSTATIC || op == Opcodes.AASTORE) {
          if (f.getStack(f.getStackSize() - 1).contains(0)) {
            escape = "stored in " + where;
          }
        } else if (insn instanceof InvokeDynamicInsnNode) {
          int n = Type.getArgumentTypes(((InvokeDynamicInsnNode) insn).desc).length;
          for (int k = 0; k < n; k++) {
            if (f.getStack(f.getStackSize() - 1 - k).contains(0)) {
              escape = "captured by an invokedynamic in " + where;
            }
          }
        } else if (insn instanceof MethodInsnNode) {
          MethodInsnNode call = (MethodInsnNode) insn;
          boolean[] t = CallRisk.thisOperands(f, call);
          String callee = call.owner.replace('/', '.') + "." + call.name + call.desc;
          if (t[1]) {
            escape = "passed to " + callee + " in " + where;
          } else if (t[0]) {
            boolean special = call.getOpcode() == Opcodes.INVOKESPECIAL;
            if (call.getOpcode() == Opcodes.INVOKEINTERFACE) {
              escape = "interface call " + callee + " on it in " + where;
              break;
            }
            Code target = resolve(special ? call.owner : c.name, call.name, call.desc);
            if (target == null) {
              escape = "calls " + callee + " on it in " + where + ", which could not be read";
            } else if (target != Code.TRUSTED && seen.size() < MAX_METHODS) {
              if (seen.add(target.method)) {
                work.add(target);
              }
            } else if (target != Code.TRUSTED) {
              escape = "too many methods to read from " + where;
            }
          }
        }
      }
    }
    return escape;
  }

  /**
   * The method a call on this runs, looked up from {@code start}: the code to read,
   * {@link Code#TRUSTED} for a method a trusted JDK base class declares, null when unknown.
   */
  private Code resolve(String start, String name, String desc) {
    for (String t = start; t != null; ) {
      ClassNode k = t.equals(c.name) ? c : read(t);
      if (k == null) {
        return null;
      }
      MethodNode m = ClassNodes.declared(k, name, desc);
      if (m != null) {
        if ((m.access & Opcodes.ACC_ABSTRACT) != 0) {
          return null;
        }
        if (isJdk(t)) {
          return TRUSTED_BASES.contains(t) ? Code.TRUSTED : null;
        }
        return (m.access & Opcodes.ACC_NATIVE) != 0 ? null : new Code(k, m);
      }
      t = k.superName;
    }
    return null;
  }

  private ClassNode read(String name) {
    if (!classes.containsKey(name)) {
      classes.put(name, ClassNodes.read(files, name, ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG));
    }
    return classes.get(name);
  }

  private static boolean isJdk(String name) {
    return name.startsWith("java/") || name.startsWith("javax/") || name.startsWith("jdk/")
        || name.startsWith("sun/");
  }

  /** Frames with site 0 as this (instance methods) and at the given instructions; null on failure. */
  static Frame<SiteValue>[] frames(String owner, MethodNode m, Map<AbstractInsnNode, Integer> sites) {
    if (m.instructions.size() == 0) {
      return new Frame[0];
    }
    boolean instance = (m.access & Opcodes.ACC_STATIC) == 0;
    try {
      return new Analyzer<>(new SiteInterpreter(sites, instance ? Map.of(0, 0) : Map.of())).analyze(owner, m);
    } catch (Exception e) {
      return null;
    }
  }
}
