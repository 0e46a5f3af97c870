package dev.rebyte.runtime;

/** How a registered site uses the pool. */
public enum SiteMode {
  /** Gets arrays of exactly the requested length. */
  EXACT,
  /** Gets any array of the requested length's class; the program cannot observe the capacity. */
  ROUNDED,
  /** Rewriting is off: the site is only counted. */
  OBSERVED,
  /**
   * Exact-mode acquires inside an allocator helper (a method that returns the arrays it allocates):
   * callers release the array only where they prove it dead, and let it escape elsewhere. Such
   * acquires are never leak-tracked; acquired and not released counts as escaped
   * ({@link SiteStats#escaped()}), not as outstanding.
   */
  ALLOCATOR,
  /**
   * Exact-mode acquires whose array is kept in a private field of the object that uses it (an
   * owner-scoped buffer): released when the owner is closed, or when the field is given a new array.
   * Outstanding means "held by a live owner"; a tracked array collected without having been
   * released is a leak of the site: its owner was never closed.
   */
  OWNED
}
