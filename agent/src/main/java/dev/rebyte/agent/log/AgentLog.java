package dev.rebyte.agent.log;

import java.io.PrintStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The agent's only way to print: {@code [rebyte] ...} lines on standard error.
 *
 * <p>Lines are queued and printed by one daemon thread, because most of them are produced inside
 * {@code ClassFileTransformer.transform}, under class-loading locks, where blocking on a stream a
 * host application may have redirected (to a logger, a pipe) can deadlock (OpenTelemetry's
 * {@code TransformSafeLogger}, NOTES "Fail-open"). {@link #flush()} prints what is left; the
 * shutdown hook calls it. The queue is bounded; past the bound lines are dropped and counted.
 */
public final class AgentLog {
  private static final String PREFIX = "[rebyte] ";
  private static final BlockingQueue<String> QUEUE = new LinkedBlockingQueue<>(10_000);
  private static final Object PRINT_LOCK = new Object();
  private static volatile PrintStream out = System.err;
  private static volatile Thread printer;
  private static volatile long dropped;

  private AgentLog() {}

  /** Queues one line; never blocks. */
  public static void log(String line) {
    if (!QUEUE.offer(PREFIX + line)) {
      dropped++; // racy but only for a diagnostic count
    }
    ensurePrinter();
  }

  /** Prints at once, on the calling thread: for premain, outside any class-loading lock. */
  public static void logNow(String line) {
    flush();
    synchronized (PRINT_LOCK) {
      out.println(PREFIX + line);
      out.flush();
    }
  }

  /** Prints every queued line now, on the calling thread. */
  public static void flush() {
    synchronized (PRINT_LOCK) {
      String line;
      while ((line = QUEUE.poll()) != null) {
        out.println(line);
      }
      if (dropped > 0) {
        out.println(PREFIX + dropped + " log lines dropped (queue full)");
        dropped = 0;
      }
      out.flush();
    }
  }

  private static void ensurePrinter() {
    if (printer != null) {
      return;
    }
    synchronized (AgentLog.class) {
      if (printer != null) {
        return;
      }
      Thread t = new Thread(AgentLog::drain, "rebyte-log");
      t.setDaemon(true);
      printer = t;
      t.start();
    }
  }

  private static void drain() {
    try {
      while (true) {
        String line = QUEUE.poll(1, TimeUnit.SECONDS);
        if (line != null) {
          synchronized (PRINT_LOCK) {
            out.println(line);
            out.flush();
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
