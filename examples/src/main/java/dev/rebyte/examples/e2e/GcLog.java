package dev.rebyte.examples.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stop-the-world pauses of a unified GC log ({@code -Xlog:gc*:file=...}, default decorations),
 * read from the {@code [gc]} summary lines:
 * {@code [4.296s][info][gc] GC(0) Pause Young (Concurrent Start) (G1 Humongous Allocation) 244M->19M(512M) 196.978ms}.
 */
final class GcLog {
  private static final Pattern PAUSE = Pattern.compile(
      "^\\[(\\d+\\.\\d+)s\\]\\[\\w+\\s*\\]\\[gc\\s*\\] GC\\(\\d+\\) (Pause .*?) (\\d+)M->(\\d+)M\\(\\d+M\\) (\\d+\\.\\d+)ms");

  /** One pause. */
  static final class Pause {
    final double uptimeSeconds;
    final String what;
    final long beforeMb;
    final long afterMb;
    final double millis;

    Pause(double uptimeSeconds, String what, long beforeMb, long afterMb, double millis) {
      this.uptimeSeconds = uptimeSeconds;
      this.what = what;
      this.beforeMb = beforeMb;
      this.afterMb = afterMb;
      this.millis = millis;
    }

    boolean humongous() {
      return what.contains("G1 Humongous Allocation");
    }
  }

  private GcLog() {}

  /** The pauses logged between {@code fromMs} and {@code toMs} of JVM uptime. */
  static List<Pause> pauses(Path log, long fromMs, long toMs) throws IOException {
    List<Pause> out = new ArrayList<>();
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      Matcher m = PAUSE.matcher(line);
      if (m.find()) {
        double t = Double.parseDouble(m.group(1));
        if (t * 1000 >= fromMs && t * 1000 <= toMs) {
          out.add(new Pause(t, m.group(2), Long.parseLong(m.group(3)), Long.parseLong(m.group(4)),
              Double.parseDouble(m.group(5))));
        }
      }
    }
    return out;
  }

  /**
   * Bytes allocated in the window by heap accounting: the heap grows only by allocation between
   * pauses, so the sum of (used before a pause - used after the previous one), from the heap use at
   * the window's start to its end. 1 MB resolution per pause (the log's unit).
   */
  static long allocatedByHeap(List<Pause> pauses, long usedAtStart, long usedAtEnd) {
    long mb = 1024 * 1024;
    long sum = 0;
    long previous = usedAtStart;
    for (Pause p : pauses) {
      sum += Math.max(0, p.beforeMb * mb - previous);
      previous = p.afterMb * mb;
    }
    return sum + Math.max(0, usedAtEnd - previous);
  }
}
