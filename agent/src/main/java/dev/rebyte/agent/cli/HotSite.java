package dev.rebyte.agent.cli;

import java.util.HashMap;
import java.util.Map;

/**
 * byte[] allocations of a recording attributed to one frame of the user's code (class, method,
 * descriptor, line), with the weight in bytes and, when the array was allocated by a helper called
 * from there ({@code Arrays.copyOf}, {@code InputStream.readAllBytes}), the helper.
 */
final class HotSite {
  final String className;
  final String methodName;
  final String descriptor;
  final int line;
  long bytes;
  long events;
  /** Allocating frame (top of the stack) when it is not this one, by weight. */
  private final Map<String, Long> helpers = new HashMap<>();
  private long directBytes;

  HotSite(String className, String methodName, String descriptor, int line) {
    this.className = className;
    this.methodName = methodName;
    this.descriptor = descriptor;
    this.line = line;
  }

  static String key(String className, String methodName, String descriptor, int line) {
    return className + '#' + methodName + descriptor + ':' + line;
  }

  void add(long weight, String helper) {
    bytes += weight;
    events++;
    if (helper == null) {
      directBytes += weight;
    } else {
      helpers.merge(helper, weight, Long::sum);
    }
  }

  /** Whether most of the weight was allocated by this frame itself: a new byte[] of the user's. */
  boolean direct() {
    return directBytes * 2 >= bytes;
  }

  /** The helper that allocated most of the weight, or null when {@link #direct()}. */
  String helper() {
    if (direct()) {
      return null;
    }
    return helpers.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
  }

  String packageName() {
    int dot = className.lastIndexOf('.');
    return dot < 0 ? "" : className.substring(0, dot);
  }

  String where() {
    return className + "." + methodName + descriptor + " line " + line;
  }
}
