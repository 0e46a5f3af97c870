package dev.rebyte.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Test threads whose failures reach the test: {@link #join} waits with a timeout, fails if a
 * worker is still alive, and rethrows what any worker threw (the first, the others suppressed).
 */
final class Workers {
  /** A worker's body; may throw anything, an {@link AssertionError} included. */
  interface Body {
    void run(int index) throws Exception;
  }

  private final List<Thread> threads = new ArrayList<>();
  private final ConcurrentLinkedQueue<Throwable> thrown = new ConcurrentLinkedQueue<>();

  /** Starts {@code count} threads named {@code name-i}, each running {@code body.run(i)}. */
  Workers start(String name, int count, Body body) {
    Workers w = this;
    for (int i = 0; i < count; i++) {
      final int index = i;
      Thread t = new Thread(() -> {
        try {
          body.run(index);
        } catch (Throwable e) {
          w.thrown.add(e);
        }
      }, name + "-" + i);
      t.setDaemon(true); // a stuck worker must not keep the test JVM alive
      w.threads.add(t);
    }
    for (Thread t : w.threads) {
      t.start();
    }
    return w;
  }

  /** Whether a worker has thrown; workers poll it to stop early. */
  boolean failed() {
    return !thrown.isEmpty();
  }

  /**
   * Joins every worker within {@code timeoutMillis} in all, asserts none is alive, and rethrows the
   * first throwable of any worker with the others suppressed.
   */
  void join(long timeoutMillis) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    for (Thread t : threads) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      t.join(Math.max(1, left));
    }
    Throwable first = thrown.peek();
    if (first != null) {
      for (Throwable other : thrown) {
        if (other != first) {
          first.addSuppressed(other);
        }
      }
      if (first instanceof Exception) {
        throw (Exception) first;
      }
      if (first instanceof Error) {
        throw (Error) first;
      }
      throw new AssertionError(first);
    }
    for (Thread t : threads) {
      assertFalse(t.isAlive(), t.getName() + " still running after " + timeoutMillis + " ms");
    }
  }
}
