package dev.rebyte.runtime;

/**
 * The locks that guard the hand-back of owner-scoped buffers ({@link SiteMode#OWNED}), behind
 * {@link Rebyte#ownerLock(Object)}: {@link #of} gives every owner one lock, never the owner.
 */
final class OwnerLocks {
  /*
   * Striped by identity hash over a fixed array of plain objects, so one owner always gets the same
   * lock for the life of the process (the façade's instance is never replaced, not even by
   * configure), and the rewritten code needs no field or allocation per owner. Two owners that
   * share a stripe only wait for each other's field read and write (see Rebyte#ownerLock for why
   * that cannot deadlock).
   */
  private final Object[] locks;

  /** {@code stripes} locks; a power of two. */
  OwnerLocks(int stripes) {
    if (stripes < 1 || Integer.bitCount(stripes) != 1) {
      throw new IllegalArgumentException("stripes must be a power of two: " + stripes);
    }
    locks = new Object[stripes];
    for (int i = 0; i < stripes; i++) {
      locks[i] = new Object();
    }
  }

  /** The lock of {@code owner}. */
  Object of(Object owner) {
    return locks[System.identityHashCode(owner) & (locks.length - 1)];
  }
}
