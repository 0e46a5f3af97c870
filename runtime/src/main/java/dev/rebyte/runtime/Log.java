package dev.rebyte.runtime;

import java.util.concurrent.atomic.AtomicBoolean;

/** The runtime's only output: rare lines on System.err with a {@code [rebyte] } prefix. */
final class Log {
  private Log() {}

  static void info(String message) {
    System.err.println("[rebyte] " + message);
  }

  /** Logs {@code message} the first time {@code once} is flipped; later calls are silent. */
  static void once(AtomicBoolean once, String message, Throwable cause) {
    if (once.compareAndSet(false, true)) {
      info(message + (cause == null ? "" : ": " + cause) + " (logged once)");
    }
  }
}
