package dev.rebyte.runtime;

/** How a registered site uses the pool. */
public enum SiteMode {
  /** Gets arrays of exactly the requested length. */
  EXACT,
  /** Gets any array of the requested length's class; the program cannot observe the capacity. */
  ROUNDED,
  /** Rewriting is off: the site is only counted. */
  OBSERVED
}
