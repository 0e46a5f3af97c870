package dev.rebyte.agent.analysis.callee;

import dev.rebyte.agent.decision.Allocator;
import dev.rebyte.agent.decision.Reason;
import java.util.Arrays;

/**
 * What a statically bound method does with each operand that may be a {@code byte[]} (receiver
 * first for instance methods), and whether it is an allocator. Immutable.
 *
 * <pre>
 * per operand   null escape       the array only meets safe uses in the callee (element access,
 *                                 length, locals, trusted calls, callees whose summaries say so):
 *                                 {@link #safeChain} says which calls it reached
 *               an {@link Escape}  the first escaping use, as a chain down to the root cause
 * allocator     non-null           every value the method returns is an array it freshly allocated
 *                                 (itself or through another allocator) and keeps no other
 *                                 reference to: callers may treat the call as an allocation site
 * provisional   true               depends on an assumption (a cycle, the depth or work limit):
 *                                 conservative, but not cached
 * </pre>
 */
public final class MethodSummary {
  /** Why an operand escapes in the callee: root cause and chain, e.g. {@code via B.n([B)V: STORED_IN_FIELD C.f @12}. */
  public static final class Escape {
    /** The root reason: CALLEE_NOT_ANALYSABLE when the chain ends in something not analysed. */
    final Reason root;
    public final String chain;

    public Escape(Reason root, String chain) {
      this.root = root;
      this.chain = chain;
    }

    /** The reason the caller records. */
    public Reason callerReason() {
      return root == Reason.CALLEE_NOT_ANALYSABLE ? Reason.CALLEE_NOT_ANALYSABLE
          : Reason.ESCAPES_IN_CALLEE;
    }

    @Override
    public String toString() {
      return chain;
    }
  }

  public final String key;
  private final Escape[] escapes;
  private final String[] safeChains;
  final Allocator allocator;
  final boolean provisional;
  private final Escape opaque;

  public MethodSummary(String key, Escape[] escapes, String[] safeChains, Allocator allocator,
      boolean provisional) {
    this(key, escapes, safeChains, allocator, provisional, null);
  }

  private MethodSummary(String key, Escape[] escapes, String[] safeChains, Allocator allocator,
      boolean provisional, Escape opaque) {
    this.opaque = opaque;
    this.key = key;
    this.escapes = escapes;
    this.safeChains = safeChains;
    this.allocator = allocator;
    this.provisional = provisional;
  }

  /** Every operand escapes for {@code why} (unreadable, native, a cycle...): nothing is assumed. */
  public static MethodSummary opaque(String key, String why, boolean provisional) {
    return new MethodSummary(key, new Escape[0], null, null, provisional, new Escape(Reason.CALLEE_NOT_ANALYSABLE, why));
  }

  /** The same answers, marked provisional (not to be cached). */
  MethodSummary asProvisional() {
    return new MethodSummary(key, escapes, safeChains, allocator, true, opaque);
  }

  /** The escape of operand {@code operand} (0 = receiver of an instance method), null when safe. */
  public Escape escape(int operand) {
    return opaque != null ? opaque : operand < escapes.length ? escapes[operand] : null;
  }

  /** For a safe operand: the calls it reached in the callee ("" when none). */
  public String safeChain(int operand) {
    return safeChains == null || operand >= safeChains.length || safeChains[operand] == null
        ? "" : safeChains[operand];
  }

  @Override
  public String toString() {
    return key + (allocator != null ? " allocator" : "") + (provisional ? " provisional" : "")
        + (opaque != null ? " opaque: " + opaque.chain : " " + Arrays.toString(escapes));
  }
}
