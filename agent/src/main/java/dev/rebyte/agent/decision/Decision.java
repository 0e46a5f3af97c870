package dev.rebyte.agent.decision;

/** What happened to one {@code new byte[n]} site. */
public enum Decision {
  /** Rewritten to borrow from the pool ({@code Rebyte.acquire}) and give back at every normal return. */
  POOLED,
  /** Observe mode: the site would have been pooled; it is only counted ({@code Rebyte.observe}). */
  OBSERVED,
  /** The analysis found a way for the array to escape (or to be live when the site runs again). */
  REJECTED,
  /** Not analysed or not rewritten for a reason unrelated to escape (size, budget, failure...). */
  SKIPPED
}
