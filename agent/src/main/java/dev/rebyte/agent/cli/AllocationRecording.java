package dev.rebyte.agent.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * The byte[] allocations of a JFR recording, attributed to the first stack frame in the user's code.
 *
 * <p>Events and weights (NOTES "JFR allocation events"):
 * <ul>
 *   <li>{@code jdk.ObjectAllocationSample} (JDK 16+, on by default, throttled): {@code weight} is the
 *       bytes the thread allocated since its previous sample, so summing weights per site estimates
 *       each site's share of all allocation.</li>
 *   <li>Only when a recording has no samples: {@code jdk.ObjectAllocationOutsideTLAB}
 *       ({@code allocationSize}, every such allocation) and {@code jdk.ObjectAllocationInNewTLAB},
 *       weighted by {@code tlabSize} (the object that opened a TLAB stands for the TLAB's bytes,
 *       as JDK Mission Control estimates it; its own size would undercount small arrays).
 *       Using both kinds at once would count the same bytes twice.</li>
 * </ul>
 * The array type is named {@code byte[]} by {@code RecordedClass.getName()} (checked on JDK 17 and
 * 25); {@code [B} is accepted as well. The duration is the span from the first event's start to the
 * last event's end, over every event in the file.
 */
final class AllocationRecording {
  static final String SAMPLE = "jdk.ObjectAllocationSample";
  static final String IN_NEW_TLAB = "jdk.ObjectAllocationInNewTLAB";
  static final String OUTSIDE_TLAB = "jdk.ObjectAllocationOutsideTLAB";

  final String source;
  final long events;
  final long totalBytes;
  /** Bytes whose stack has no frame in the user's code (JDK only, or truncated). */
  final long unattributedBytes;
  final double seconds;
  final List<HotSite> sites;

  private AllocationRecording(Tally tally, String source, double seconds) {
    this.source = source;
    this.events = tally.events;
    this.totalBytes = tally.total;
    this.unattributedBytes = tally.unattributed;
    this.seconds = seconds;
    List<HotSite> sorted = new ArrayList<>(tally.sites.values());
    sorted.sort(Comparator.comparingLong((HotSite s) -> s.bytes).reversed().thenComparing(HotSite::where));
    this.sites = sorted;
  }

  /** @param userClass whether a frame's class (dotted binary name) is the user's code */
  static AllocationRecording read(Path file, Predicate<String> userClass) throws IOException {
    Tally samples = new Tally();
    Tally tlab = new Tally();
    Instant first = null;
    Instant last = null;
    try (RecordingFile recording = new RecordingFile(file)) {
      while (recording.hasMoreEvents()) {
        RecordedEvent e = recording.readEvent();
        if (first == null || e.getStartTime().isBefore(first)) {
          first = e.getStartTime();
        }
        if (last == null || e.getEndTime().isAfter(last)) {
          last = e.getEndTime();
        }
        String type = e.getEventType().getName();
        if (type.equals(SAMPLE)) {
          add(samples, e, "weight", userClass);
        } else if (type.equals(OUTSIDE_TLAB)) {
          add(tlab, e, "allocationSize", userClass);
        } else if (type.equals(IN_NEW_TLAB)) {
          add(tlab, e, "tlabSize", userClass);
        }
      }
    }
    double seconds = first == null ? 0 : Math.max(1e-3, (last.toEpochMilli() - first.toEpochMilli()) / 1000.0);
    return samples.events > 0 || tlab.events == 0
        ? new AllocationRecording(samples, SAMPLE + " (weight)", seconds)
        : new AllocationRecording(tlab, IN_NEW_TLAB + " (tlabSize) + " + OUTSIDE_TLAB + " (allocationSize)", seconds);
  }

  private static void add(Tally tally, RecordedEvent e, String weightField, Predicate<String> userClass) {
    RecordedClass type = e.hasField("objectClass") ? e.getClass("objectClass") : null;
    if (type == null || !isByteArray(type.getName()) || !e.hasField(weightField)) {
      return;
    }
    long weight = e.getLong(weightField);
    tally.events++;
    tally.total += weight;
    RecordedStackTrace stack = e.getStackTrace();
    String top = null;
    if (stack != null) {
      for (RecordedFrame frame : stack.getFrames()) {
        if (!frame.isJavaFrame() || frame.getMethod() == null) {
          continue;
        }
        RecordedMethod method = frame.getMethod();
        String className = method.getType().getName();
        if (userClass.test(className)) {
          String key = HotSite.key(className, method.getName(), method.getDescriptor(), frame.getLineNumber());
          tally.sites.computeIfAbsent(key, k -> new HotSite(className, method.getName(), method.getDescriptor(),
              frame.getLineNumber())).add(weight, top);
          return;
        }
        if (top == null) {
          top = className + "." + method.getName();
        }
      }
    }
    tally.unattributed += weight;
  }

  static boolean isByteArray(String typeName) {
    return "byte[]".equals(typeName) || "[B".equals(typeName);
  }

  /** Sums for one kind of event. */
  private static final class Tally {
    long events;
    long total;
    long unattributed;
    final Map<String, HotSite> sites = new HashMap<>();
  }
}
