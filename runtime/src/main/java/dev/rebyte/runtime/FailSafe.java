package dev.rebyte.runtime;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The calls rewritten code makes, kept to what {@code new byte[n]} may throw. An internal error
 * (a {@link RuntimeException} from the runtime, which would be a bug) is logged the first time
 * and the call falls back: acquire to {@code new byte[length]}, release to dropping the array,
 * observe to counting nothing. {@link NegativeArraySizeException} and errors pass through as from
 * {@code new byte[n]}.
 */
final class FailSafe {
  /*
   * The pool is asked for inside the try, so a failure to create the default pool falls back too.
   * A null array is ignored before the pool is asked for: a release of null creates no pool.
   * One flag for every call and for the readers that report here (SiteDecisions): the log line
   * appears once per FailSafe, that is once per process for the façade's.
   */
  private final CurrentPool current;
  private final AtomicBoolean logged = new AtomicBoolean();

  FailSafe(CurrentPool current) {
    this.current = current;
  }

  /** {@link BytePool#acquire}, or {@code new byte[length]} on an internal error. */
  byte[] acquire(int length, int site, boolean atLeast) {
    try {
      return current.get().acquire(length, site, atLeast);
    } catch (NegativeArraySizeException e) {
      throw e;
    } catch (RuntimeException e) {
      internalError(e);
      return new byte[length];
    }
  }

  /** {@link BytePool#release}; {@code null} is ignored, and the array dropped on an internal error. */
  void release(byte[] array, int written, int site) {
    if (array == null) {
      return;
    }
    try {
      current.get().release(array, written, site);
    } catch (RuntimeException e) {
      internalError(e);
    }
  }

  /** {@link BytePool#observe}, or nothing on an internal error. */
  void observe(int length, int site) {
    try {
      current.get().observe(length, site);
    } catch (RuntimeException e) {
      internalError(e);
    }
  }

  /** Logs {@code e} if it is the first internal error seen here; the caller falls back. */
  void internalError(RuntimeException e) {
    Log.once(logged, "internal error, falling back to plain allocation", e);
  }

  /** Whether an internal error was seen (and logged). */
  boolean failed() {
    return logged.get();
  }
}
