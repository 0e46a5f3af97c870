package dev.rebyte.agent.analysis.callee;

import dev.rebyte.agent.classfile.ClassFiles;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.tree.ClassNode;

/**
 * Callee summaries and allocator detection beyond one method (DESIGN "Beyond one method"): the
 * caches, per scope (one class loader, or one hierarchy), and the limits. Thread-safe; a
 * {@link Callees} made by {@link #forClass} serves one transform on one thread.
 *
 * <pre>
 * limit                    default  past it
 * depth                    4        the callee is not analysed: CALLEE_NOT_ANALYSABLE (provisional)
 * methods per transform    64       same (every summary computed for one class counts, cache hits free)
 * cached entries per scope 20000    the scope's cache is cleared and starts over
 * </pre>
 * A depth of 0 turns summaries and allocators off: the analysis is the one-method rule.
 */
public final class CalleeSummaries {
  /** Summaries and allocators off. */
  public static final CalleeSummaries OFF = new CalleeSummaries(0, 0);

  /**
   * How many calls deep summaries look by default: each level may read one more class file while a
   * class loads; four cover helpers that delegate.
   */
  public static final int DEFAULT_DEPTH = 4;
  /** How many callee methods one transform may analyse. */
  public static final int METHODS_PER_TRANSFORM = 64;
  static final int MAX_ENTRIES = 20_000;
  private static final Object NULL_SCOPE = new Object();

  private final int maxDepth;
  private final int maxMethods;
  private final Map<Object, Scope> scopes = Collections.synchronizedMap(new WeakHashMap<>());

  /**
   * @param maxDepth how many calls deep a summary may look (0: off)
   * @param maxMethods how many callee methods one transform may analyse
   */
  public CalleeSummaries(int maxDepth, int maxMethods) {
    this.maxDepth = Math.max(0, maxDepth);
    this.maxMethods = Math.max(0, maxMethods);
  }

  /** Summaries up to {@code depth} calls deep with the per-transform budget; {@link #OFF} for 0. */
  public static CalleeSummaries upTo(int depth) {
    return depth == 0 ? OFF : new CalleeSummaries(depth, METHODS_PER_TRANSFORM);
  }

  public int maxDepth() {
    return maxDepth;
  }

  /**
   * The callee view for transforming {@code self}.
   *
   * @param scope what the summaries are valid for (the defining class loader; weakly held), null
   *     for one shared scope
   * @param files where callees' class files are read; {@code self} is answered from the node
   */
  public Callees forClass(ClassNode self, ClassFiles files, Object scope) {
    if (maxDepth == 0) {
      return Callees.NONE;
    }
    Scope s = scopes.computeIfAbsent(scope == null ? NULL_SCOPE : scope, k -> new Scope());
    return new Callees(s, files, self, maxDepth, maxMethods);
  }

  /** The caches of one scope: bindings and summaries by key, and the ids allocators were given. */
  static final class Scope {
    final ConcurrentHashMap<String, Binding> bindings = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, MethodSummary> summaries = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, Integer> allocatorIds = new ConcurrentHashMap<>();

    void trim() {
      if (bindings.size() > MAX_ENTRIES || summaries.size() > MAX_ENTRIES) {
        bindings.clear();
        summaries.clear();
      }
    }
  }
}
