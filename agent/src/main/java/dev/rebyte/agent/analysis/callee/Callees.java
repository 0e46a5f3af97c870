package dev.rebyte.agent.analysis.callee;

import dev.rebyte.agent.analysis.jdk.NonRetainingMethods;
import dev.rebyte.agent.classfile.ClassFiles;
import dev.rebyte.agent.classfile.ClassNodes;
import dev.rebyte.agent.decision.Allocator;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.IntSupplier;
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
   * Binding, contracts and JDK owners: see CallBinder.
   * A bound callee that cannot be read, is native or abstract, is over the analysis budget, uses
   * JSR, is deeper than maxDepth, is in progress (recursion: the cycle is cut by assuming it
   * escapes) or comes after the per-transform budget is opaque: every operand escapes, root reason
   * CALLEE_NOT_ANALYSABLE. Summaries that relied on a cut (cycle, depth, budget) are "provisional":
   * used for the current answer, never cached, so the cache never depends on the order in which
   * members of a cycle were first asked (always conservative either way).
   */
  public static final Callees NONE = new Callees(null, ClassFiles.NONE, null, 0, 0);

  private final CalleeSummaries.Scope scope;
  private final CallBinder binder;
  private final int maxDepth;
  private final int maxMethods;
  private final Deque<String> inProgress = new ArrayDeque<>();
  private CalleeAnalyzer analyzer;
  private int analysed;
  private boolean tainted;

  Callees(CalleeSummaries.Scope scope, ClassFiles files, ClassNode self, int maxDepth, int maxMethods) {
    this.scope = scope;
    this.binder = new CallBinder(files, self);
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
    binder.trust(methods);
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
    if (scope == null || call.owner.startsWith("[") || CallBinder.isJdk(call.owner)) {
      return Target.UNKNOWN;
    }
    String bindKey = call.getOpcode() + " " + call.owner + "." + call.name + call.desc;
    Binding binding = scope.bindings.get(bindKey);
    if (binding == null) {
      binding = binder.bind(call);
      scope.trim();
      scope.bindings.put(bindKey, binding);
    }
    switch (binding.kind) {
      case RESOLVED:
        return new Target(summary(binding.key), false, "");
      case TRUSTED:
        return Target.TRUSTED;
      case UNREADABLE:
        return new Target(binding.summary, false, "");
      default:
        return new Target(null, false, binding.note);
    }
  }

  /** The allocator a call invokes, or null. */
  public Allocator allocator(MethodInsnNode call) {
    if (scope == null || !call.desc.endsWith(")[B")) {
      return null;
    }
    Target t = target(call);
    return t.summary == null ? null : t.summary.allocator;
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
      ClassNode c = binder.node(owner);
      MethodNode m = c == null ? null : ClassNodes.declared(c, name, desc);
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
