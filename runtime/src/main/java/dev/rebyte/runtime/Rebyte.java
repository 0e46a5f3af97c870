package dev.rebyte.runtime;

/**
 * The one entry point of the runtime: what rewritten code calls, what the agent configures, and
 * where statistics are read.
 *
 * <h2>Contract for rewritten code</h2>
 * <ul>
 *   <li>{@link #acquire(int, int)} replaces {@code NEWARRAY T_BYTE} with the same stack effect once
 *       the site id is pushed ({@code // stack: length, site -> byte[]}): it returns an array of
 *       exactly {@code length} zero bytes, throws {@link NegativeArraySizeException} for a negative
 *       length, and falls back to {@code new byte[length]} for lengths the pool does not serve.</li>
 *   <li>{@link #release(byte[], int)} hands an array back at a point where the analysis proved it
 *       dead; {@code null} is ignored.</li>
 *   <li>{@link #registerSite} is called by the agent at transform time; the returned id is
 *       embedded as a constant in the rewritten code.</li>
 * </ul>
 * None of these methods ever throws anything but what {@code new byte[n]} would throw.
 */
public final class Rebyte {
  private Rebyte() {}

  /**
   * Installs the pool's settings. Called once by the agent before any rewritten code runs; a later
   * call replaces the pool (its retained arrays are dropped, its statistics kept).
   */
  public static void configure(PoolConfig config) {}

  /** Exact-mode acquire: an array of exactly {@code length} zero bytes. */
  public static byte[] acquire(int length, int site) {
    return new byte[length];
  }

  /** Rounded-mode acquire: a zeroed array of at least {@code length} bytes from the class of {@code length}. */
  public static byte[] acquireAtLeast(int length, int site) {
    return new byte[length];
  }

  /** Releases an array whose whole capacity the borrower may have written. */
  public static void release(byte[] array, int site) {}

  /** Releases an array of which the borrower could have written only {@code [0, length)}. */
  public static void release(byte[] array, int length, int site) {}

  /** Observe mode: counts what {@link #acquire} would have done, allocates nothing. */
  public static void observe(int length, int site) {}

  /**
   * Registers an allocation site and returns its id (dense, from 0).
   *
   * @param constantLength the length when it is a compile-time constant, else -1
   */
  public static int registerSite(
      String className, String methodName, String methodDescriptor, int line, int constantLength,
      SiteMode mode) {
    return 0;
  }
}
