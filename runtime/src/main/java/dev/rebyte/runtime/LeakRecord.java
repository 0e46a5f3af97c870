package dev.rebyte.runtime;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/** One detected leak: an array or lease collected by the GC without having been released. */
public final class LeakRecord {
  /** What leaked (the {@code kind} tag of the {@code rebyte.leaks} meter). */
  public enum Kind {
    /** An array acquired at a rewritten site and never released. */
    SITE,
    /** A {@link Lease} that was never closed. */
    LEASE
  }

  /** The classes an acquire passes through before it reaches the tracker, caller first. */
  private static final Set<String> SERVING_PATH = Set.of(Rebyte.class.getName(),
      FailSafe.class.getName(), CurrentPool.class.getName(), BytePool.class.getName(),
      SizeClass.class.getName(), LeakTracker.class.getName(), Lease.class.getName());

  private final Kind kind;
  private final int siteId;
  private final String site;
  private final List<StackTraceElement> stack;

  LeakRecord(Kind kind, int siteId, String site, Throwable acquiredAt) {
    this.kind = kind;
    this.siteId = siteId;
    this.site = site;
    this.stack = acquiredAt == null ? Collections.<StackTraceElement>emptyList() : callerStack(acquiredAt);
  }

  /**
   * The acquiring stack from the runtime's caller on: the frames of the serving path itself
   * (façade, fail-safe wrapper, pool, tracker) say nothing about the leak and would push the
   * application's frames out of the printed eight.
   */
  private static List<StackTraceElement> callerStack(Throwable acquiredAt) {
    StackTraceElement[] frames = acquiredAt.getStackTrace();
    int first = 0;
    while (first < frames.length - 1 && SERVING_PATH.contains(frames[first].getClassName())) {
      first++;
    }
    return Collections.unmodifiableList(Arrays.asList(frames).subList(first, frames.length));
  }

  public Kind kind() {
    return kind;
  }

  /** The site id passed to the acquire; -1 for leases and unknown sites. */
  public int siteId() {
    return siteId;
  }

  /** The site as {@code com.acme.Foo.read(I)V:42}, or {@code lease}. */
  public String site() {
    return site;
  }

  /** The acquiring stack ({@link LeakDetection#PARANOID} only), else empty. */
  public List<StackTraceElement> stack() {
    return stack;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(kind == Kind.LEASE ? "lease leak (never closed)"
        : "site leak at " + site);
    for (int i = 0; i < Math.min(stack.size(), 8); i++) {
      b.append("\n\tat ").append(stack.get(i));
    }
    return b.toString();
  }
}
