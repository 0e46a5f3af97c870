package dev.rebyte.agent.analysis.callee;

import dev.rebyte.agent.decision.Allocator;
import dev.rebyte.agent.analysis.jdk.NonRetainingMethods;
import dev.rebyte.agent.classfile.ClassFiles;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Set;
import java.util.HashSet;
import java.util.Collections;
import java.util.Map;
import java.util.function.IntSupplier;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * What the analysis of one class knows about the methods it calls: which calls are bound at
 * compile time, and their summaries. One instance per transform, one thread.
 */
public final class Callees {
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
   * A bound callee that cannot be read, is native or abstract, is over the analysis budget, uses
   * JSR, is deeper than maxDepth, is in progress (recursion: the cycle is cut by assuming it
   * escapes) or comes after the per-transform budget is opaque: every operand escapes, root reason
   * CALLEE_NOT_ANALYSABLE. Summaries that relied on a cut (cycle, depth, budget) are "provisional":
   * used for the current answer, never cached, so the cache never depends on the order in which
   * members of a cycle were first asked (always conservative either way).
   */
  public static final Callees NONE = new Callees(null, ClassFiles.NONE, null, 0, 0);

  private static final String[] JDK = {"java/", "javax/", "jdk/", "sun/", "com/sun/"};
  private static final String UNBOUND = "not statically bound: a subclass may override it";

  private final CalleeSummaries.Scope scope;
  private final ClassFiles files;
  private final ClassNode self;
  private final int maxDepth;
  private final int maxMethods;
  private final Map<String, ClassNode> nodes = new HashMap<>();
  private final Map<String, String[]> supertypes = new HashMap<>();
  private final Deque<String> inProgress = new ArrayDeque<>();
  private CalleeAnalyzer analyzer;
  private NonRetainingMethods methods;
  private int analysed;
  private boolean tainted;

  Callees(CalleeSummaries.Scope scope, ClassFiles files, ClassNode self, int maxDepth, int maxMethods) {
    this.scope = scope;
    this.files = files;
    this.self = self;
    this.maxDepth = maxDepth;
    this.maxMethods = maxMethods;
  }

  public boolean enabled() {
    return scope != null;
  }

  /**
   * The runtime id of an allocator, registered once per scope by {@code register}: the allocator's
   * own acquires and its callers' releases use the same id.
   */
  public int allocatorId(String key, IntSupplier register) {
    return scope.allocatorIds.computeIfAbsent(key, k -> register.getAsInt());
  }

  /** Bound by the analyzer that uses this instance (one analyzer per transformer). */
  public void bind(CalleeAnalyzer analyzer, NonRetainingMethods methods) {
    this.analyzer = analyzer;
    this.methods = methods;
  }

  /** What a call is known to do. */
  public static final class Target {
    public static final Target UNKNOWN = new Target(null, false, "");
    static final Target TRUSTED = new Target(null, true, "");

    /** The callee's summary, null when the call is not summarised. */
    public final MethodSummary summary;
    public final boolean trusted;
    /** For an unsummarised call: why, to append to the detail ("" for JDK and unknown owners). */
    public final String note;

    Target(MethodSummary summary, boolean trusted, String note) {
      this.summary = summary;
      this.trusted = trusted;
      this.note = note;
    }
  }

  /** The target of a call not on the trusted list. */
  public Target target(MethodInsnNode call) {
    if (scope == null || call.owner.startsWith("[") || isJdk(call.owner)) {
      return Target.UNKNOWN;
    }
    String bindKey = call.getOpcode() + " " + call.owner + "." + call.name + call.desc;
    Object binding = scope.bindings.get(bindKey);
    if (binding == null) {
      binding = bind(call);
      scope.trim();
      scope.bindings.put(bindKey, binding);
    }
    if (binding instanceof MethodSummary) {
      return new Target((MethodSummary) binding, false, "");
    }
    String resolved = (String) binding;
    if (resolved.startsWith("!")) {
      return resolved.equals("!trusted") ? Target.TRUSTED : new Target(null, false, resolved.substring(1));
    }
    return new Target(summary(resolved), false, "");
  }

  /** The allocator a call invokes, or null. */
  public Allocator allocator(MethodInsnNode call) {
    if (scope == null || !call.desc.endsWith(")[B")) {
      return null;
    }
    Target t = target(call);
    return t.summary == null ? null : t.summary.allocator;
  }

  /**
   * Resolves a call: a resolved key {@code owner.name+desc}, "!note" when not bound ("!trusted"
   * when bound to a trusted JDK method), or an opaque summary when a class file is missing.
   */
  private Object bind(MethodInsnNode call) {
    ClassNode owner = node(call.owner);
    if (owner == null) {
      return MethodSummary.opaque(call.owner + "." + call.name + call.desc,
          "cannot read the class file of " + call.owner, false);
    }
    int op = call.getOpcode();
    String declaring = call.owner;
    MethodNode m = find(owner, call.name, call.desc);
    if (m == null && op != Opcodes.INVOKESPECIAL && op != Opcodes.INVOKEINTERFACE) {
      for (String sup = owner.superName; sup != null && m == null; ) {
        if (isJdk(sup)) {
          boolean trusted = methods != null
              && methods.verdict(sup, call.name, call.desc) == NonRetainingMethods.Verdict.TRUSTED;
          // static or final: bound to the JDK method; virtual: every override keeps its contract
          return trusted ? "!trusted" : op != Opcodes.INVOKESTATIC
              && contract(sup, call.name, call.desc) != null ? "!trusted" : "!" + UNBOUND;
        }
        ClassNode c = node(sup);
        if (c == null) {
          return MethodSummary.opaque(call.owner + "." + call.name + call.desc,
              "cannot read the class file of " + sup, false);
        }
        m = find(c, call.name, call.desc);
        declaring = sup;
        sup = c.superName;
      }
    }
    if (m == null) {
      return op != Opcodes.INVOKESTATIC && contract(call.owner, call.name, call.desc) != null
          ? "!trusted" : "!" + UNBOUND + " (no declaration found)";
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
      return m.instructions.size() > 0 ? declaring + "." + call.name + call.desc : "!trusted";
    }
    return bound ? declaring + "." + call.name + call.desc : "!" + UNBOUND;
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


  private MethodSummary summary(String key) {
    MethodSummary cached = scope.summaries.get(key);
    if (cached != null) {
      return cached;
    }
    MethodSummary s;
    int dot = key.indexOf('.');
    int paren = key.indexOf('(');
    String owner = key.substring(0, dot);
    String name = key.substring(dot + 1, paren);
    String desc = key.substring(paren);
    if (inProgress.contains(key)) {
      s = MethodSummary.opaque(key, "recursive call to " + key + ": assumed escaping", true);
    } else if (inProgress.size() >= maxDepth) {
      s = MethodSummary.opaque(key, "call depth limit " + maxDepth + " reached at " + key, true);
    } else if (analysed >= maxMethods || analyzer == null) {
      s = MethodSummary.opaque(key, "callee analysis budget (" + maxMethods
          + " methods per class) used up at " + key, true);
    } else {
      analysed++;
      ClassNode c = node(owner);
      MethodNode m = c == null ? null : find(c, name, desc);
      if (m == null) {
        s = MethodSummary.opaque(key, "cannot read " + key, false);
      } else if ((m.access & (Opcodes.ACC_NATIVE | Opcodes.ACC_ABSTRACT)) != 0) {
        s = MethodSummary.opaque(key, "native or abstract " + key, false);
      } else {
        boolean outer = tainted;
        tainted = false;
        inProgress.push(key);
        try {
          s = analyzer.summarize(owner, m, this);
        } finally {
          inProgress.pop();
        }
        boolean provisional = tainted || s.provisional;
        if (provisional && !s.provisional) {
          s = s.asProvisional();
        }
        tainted = outer;
      }
    }
    if (s.provisional) {
      tainted = true;
    } else {
      scope.trim();
      scope.summaries.put(key, s);
    }
    return s;
  }

  private ClassNode node(String internalName) {
    if (self != null && self.name.equals(internalName)) {
      return self;
    }
    return nodes.computeIfAbsent(internalName, n -> {
      try {
        byte[] bytes = files.classFile(n);
        if (bytes == null) {
          return null;
        }
        ClassNode c = new ClassNode();
        new ClassReader(bytes).accept(c, ClassReader.SKIP_FRAMES);
        return c;
      } catch (RuntimeException e) {
        return null; // malformed or too new for ASM: as good as missing
      }
    });
  }

  private static MethodNode find(ClassNode c, String name, String desc) {
    for (MethodNode m : c.methods) {
      if (m.name.equals(name) && m.desc.equals(desc)) {
        return m;
      }
    }
    return null;
  }

  static boolean isJdk(String internalName) {
    for (String p : JDK) {
      if (internalName.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a parameter of this type may hold a byte[]. */
  public static boolean mayBeByteArray(Type t) {
    if (t.getSort() == Type.ARRAY) {
      return "[B".equals(t.getDescriptor());
    }
    if (t.getSort() != Type.OBJECT) {
      return false;
    }
    String n = t.getInternalName();
    return n.equals("java/lang/Object") || n.equals("java/lang/Cloneable") || n.equals("java/io/Serializable");
  }
}
