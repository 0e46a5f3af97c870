package dev.rebyte.runtime;

/** How closely acquired arrays and leases are tracked for leaks (Netty's levels). */
public enum LeakDetection {
  /** No tracking at all. */
  DISABLED,
  /** One acquire in 128 is tracked weakly until released (the default). */
  SAMPLED,
  /** Every acquire is tracked, with the acquiring stack. For tests and debugging. */
  PARANOID
}
