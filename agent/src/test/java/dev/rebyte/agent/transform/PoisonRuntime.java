package dev.rebyte.agent.transform;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A test stand-in for {@code dev.rebyte.runtime.Rebyte}, defined under that name inside
 * {@link FixtureLoader} (one copy per loader). It is a real pool that poisons what it gets back:
 * a released array is filled with 0x5A and handed out again (zeroed) to the next acquire of that
 * length. A release while the array is still in use therefore changes what the fixture computes,
 * and the "same result as the original" check fails. Double releases are recorded as errors.
 *
 * <p>Rounded sites ({@link #acquireAtLeast}) get arrays strictly LARGER than requested: capacity is
 * the next power of two above the length (8192 -> 16384, 5000 -> 8192), zeroed. Any observation of
 * the capacity the rewrite failed to bound (an unrewritten {@code b.length}, {@code in.read(b)},
 * {@code new String(b)}...) then computes something else than the original. On
 * {@link #release(byte[], int, int)} the pool checks truncate-on-return's premise -- the borrower
 * wrote nothing at or beyond its length -- and records an error if a byte there is not zero, then
 * poisons the whole array.
 *
 * <p>Owner-scoped buffers: {@link #ownerLock} returns one fixed lock (and counts the calls). An
 * acquire or a release made while that lock is held is recorded as an error (the rewrite must hand
 * the array back after leaving the lock). Acquires and releases are also counted per site id
 * ({@link #siteCounts}), and a release of an array this pool never handed out is counted as foreign
 * (not an error: tests that care assert the count).
 */
public final class PoisonRuntime {
  private static final Map<Integer, ArrayDeque<byte[]>> POOL = new HashMap<>();
  private static final Set<byte[]> POOLED = Collections.newSetFromMap(new IdentityHashMap<>());
  private static final Set<byte[]> HANDED_OUT = Collections.newSetFromMap(new IdentityHashMap<>());
  private static final Map<Integer, int[]> BY_SITE = new HashMap<>();
  private static final List<String> ERRORS = new ArrayList<>();
  private static final Object OWNER_LOCK = new Object();
  private static int acquires;
  private static int hits;
  private static int releases;
  private static int observes;
  private static int roundedHits;
  private static int ownerLocks;
  private static int foreignReleases;

  private PoisonRuntime() {}

  public static synchronized byte[] acquire(int length, int site) {
    acquires++;
    bySite(site)[0]++;
    checkOwnerLockNotHeld("acquire", site);
    if (length < 0) {
      throw new NegativeArraySizeException(String.valueOf(length));
    }
    ArrayDeque<byte[]> free = POOL.get(length);
    if (free != null && !free.isEmpty()) {
      byte[] a = free.pop();
      POOLED.remove(a);
      Arrays.fill(a, (byte) 0);
      hits++;
      return handOut(a);
    }
    return handOut(new byte[length]);
  }

  public static synchronized byte[] acquireAtLeast(int length, int site) {
    acquires++;
    bySite(site)[0]++;
    checkOwnerLockNotHeld("acquire", site);
    if (length < 0) {
      throw new NegativeArraySizeException(String.valueOf(length));
    }
    int capacity = Integer.highestOneBit(Math.max(length, 1)) << 1;
    ArrayDeque<byte[]> free = POOL.get(capacity);
    if (free != null && !free.isEmpty()) {
      byte[] a = free.pop();
      POOLED.remove(a);
      Arrays.fill(a, (byte) 0);
      hits++;
      roundedHits++;
      return handOut(a);
    }
    return handOut(new byte[capacity]);
  }

  public static synchronized void release(byte[] array, int length, int site) {
    if (array == null) {
      return;
    }
    for (int i = Math.max(0, length); i < array.length; i++) {
      if (array[i] != 0) {
        ERRORS.add("site " + site + " wrote at " + i + ", at or beyond its length " + length);
        break;
      }
    }
    release(array, site);
  }

  public static synchronized void release(byte[] array, int site) {
    if (array == null) {
      return;
    }
    releases++;
    bySite(site)[1]++;
    checkOwnerLockNotHeld("release", site);
    if (!POOLED.add(array)) {
      ERRORS.add("double release of an array of site " + site);
      return;
    }
    if (!HANDED_OUT.remove(array)) {
      foreignReleases++;
    }
    Arrays.fill(array, (byte) 0x5A);
    POOL.computeIfAbsent(array.length, k -> new ArrayDeque<>()).push(array);
  }

  public static synchronized void observe(int length, int site) {
    observes++;
  }

  /** The lock rewritten owners hold while they take their array out of its field: one for all. */
  public static synchronized Object ownerLock(Object owner) {
    ownerLocks++;
    if (owner == null) {
      ERRORS.add("ownerLock(null)");
    }
    return OWNER_LOCK;
  }

  /**
   * acquires, hits, releases, observes, hits of acquireAtLeast, calls of ownerLock, releases of
   * arrays this pool never handed out.
   */
  public static synchronized int[] counts() {
    return new int[] {acquires, hits, releases, observes, roundedHits, ownerLocks, foreignReleases};
  }

  /** Acquires and (non-null) releases made under this site id. */
  public static synchronized int[] siteCounts(int site) {
    return bySite(site).clone();
  }

  private static int[] bySite(int site) {
    return BY_SITE.computeIfAbsent(site, k -> new int[2]);
  }

  private static byte[] handOut(byte[] array) {
    HANDED_OUT.add(array);
    return array;
  }

  private static void checkOwnerLockNotHeld(String what, int site) {
    if (Thread.holdsLock(OWNER_LOCK)) {
      ERRORS.add(what + " of site " + site + " while holding the owner lock");
    }
  }

  public static synchronized List<String> errors() {
    return new ArrayList<>(ERRORS);
  }
}
