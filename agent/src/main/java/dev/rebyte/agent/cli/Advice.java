package dev.rebyte.agent.cli;

import dev.rebyte.agent.decision.Decision;
import dev.rebyte.agent.decision.SiteDecision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Joins the hot sites of a recording with the scan's decisions and writes the proposed
 * {@code rebyte.properties}: comments explaining every hot site, then the keys.
 *
 * <p>Join: a hot site allocated by the frame itself is the {@code new byte[]} at that class, method,
 * descriptor and line; several sites on one line count as pooled only if all are. A hot site whose
 * array came from a JDK helper called there is not a site the agent can pool. The saving is the
 * sampled byte[] weight of the pooled hot sites divided by the recording's duration: an upper
 * bound, since an exact-mode hit needs an array of the same length back in the pool.
 */
final class Advice {
  private final AllocationRecording recording;
  private final ScanResult scan;
  private final Map<String, List<SiteDecision>> sitesByLine = new HashMap<>();

  /** @param scan the scan of {@code --classes}, or null */
  Advice(AllocationRecording recording, ScanResult scan) {
    this.recording = recording;
    this.scan = scan;
    if (scan != null) {
      for (SiteDecision d : scan.sites) {
        sitesByLine.computeIfAbsent(HotSite.key(d.className(), d.methodName(), d.methodDescriptor(), d.line()),
            k -> new ArrayList<>()).add(d);
      }
    }
  }

  /** What the agent does with one hot site. */
  enum Verdict { POOLED, LEFT_ALONE, HELPER, NOT_FOUND, UNKNOWN }

  Verdict verdict(HotSite s) {
    if (!s.direct()) {
      return Verdict.HELPER;
    }
    if (scan == null) {
      return Verdict.UNKNOWN;
    }
    List<SiteDecision> found = sitesByLine.get(HotSite.key(s.className, s.methodName, s.descriptor, s.line));
    if (found == null) {
      return Verdict.NOT_FOUND;
    }
    boolean allPooled = found.stream().allMatch(d -> d.decision() == Decision.POOLED || d.decision() == Decision.OBSERVED);
    return allPooled ? Verdict.POOLED : Verdict.LEFT_ALONE;
  }

  private String explain(HotSite s, Verdict v) {
    switch (v) {
      case HELPER:
        return "allocated inside " + s.helper() + ", called here: not a new byte[] the agent can pool";
      case UNKNOWN:
        return "new byte[] here; give --classes to see what the agent decides";
      case NOT_FOUND:
        return "no new byte[] site at this line in --classes (not selected, or other class files?)";
      default:
        List<SiteDecision> found = sitesByLine.get(HotSite.key(s.className, s.methodName, s.descriptor, s.line));
        SiteDecision d = found.stream().filter(x -> x.decision() == Decision.REJECTED || x.decision() == Decision.SKIPPED)
            .findFirst().orElse(found.get(0));
        return d.decision() + " " + d.reason() + ": " + d.reason().description()
            + (d.detail().isEmpty() ? "" : ": " + d.detail()) + (d.reasonLine() < 0 ? "" : " (line " + d.reasonLine() + ")");
    }
  }

  /** The hot sites, best first, at most {@code top}. */
  List<HotSite> hot(int top) {
    return recording.sites.subList(0, Math.min(top, recording.sites.size()));
  }

  /** Packages to include: those of hot sites that will be pooled (or, without a scan, are new byte[] sites). */
  List<String> packages(int top) {
    TreeSet<String> packages = new TreeSet<>();
    for (HotSite s : hot(top)) {
      Verdict v = verdict(s);
      if (v == Verdict.POOLED || v == Verdict.UNKNOWN) {
        packages.add(s.packageName().isEmpty() ? s.className : s.packageName());
      }
    }
    List<String> out = new ArrayList<>();
    for (String p : packages) { // sorted: a parent package comes before its sub-packages
      if (out.isEmpty() || !(p.startsWith(out.get(out.size() - 1) + "."))) {
        out.add(p);
      }
    }
    return out;
  }

  String render(String recordingName, int top, String selection, String minSize) {
    StringBuilder b = new StringBuilder();
    b.append("# rebyte.properties proposed by 'rebyte-agent.jar advise' from ").append(recordingName)
        .append(" (").append(Instant.now()).append(")\n");
    b.append(String.format(Locale.ROOT, "# recording: %.1f s; %d byte[] events from %s; %s of byte[] (%s/s)%n",
        recording.seconds, recording.events, recording.source, bytes(recording.totalBytes),
        bytes(rate(recording.totalBytes))));
    b.append(String.format(Locale.ROOT, "# attributed to the first frame in %s; %.1f%% of the bytes had none%n",
        selection, percent(recording.unattributedBytes)));
    b.append(scan == null
        ? "# decisions: unknown, give --classes <jar|dir|classpath> to join each site with the agent's decision\n"
        : "# decisions: the agent's, from a scan of --classes (" + scan.mode + " mode, " + scan.settings + ")\n");
    b.append("#\n# Hot byte[] sites (share of byte[] bytes, rate, where; then what the agent does):\n");
    long pooledBytes = 0;
    int pooled = 0;
    int left = 0;
    int rank = 0;
    for (HotSite s : hot(top)) {
      Verdict v = verdict(s);
      rank++;
      b.append(String.format(Locale.ROOT, "# %2d %6.1f%% %12s/s  %s%n", rank, percent(s.bytes), bytes(rate(s.bytes)), s.where()));
      b.append("#        ").append(v == Verdict.POOLED ? "POOLED: will be pooled" : explain(s, v)).append('\n');
      if (v == Verdict.POOLED) {
        pooled++;
        pooledBytes += s.bytes;
      } else if (v != Verdict.UNKNOWN) {
        left++;
      }
    }
    b.append("#\n");
    if (scan != null) {
      b.append(String.format(Locale.ROOT, "# will be pooled: %d hot site%s, estimated saving up to %s/s of byte[] allocation%n",
          pooled, pooled == 1 ? "" : "s", bytes(rate(pooledBytes))));
      b.append("#   (exact mode hits only when an array of the same length is back in the pool: an upper bound)\n");
      b.append("# hot sites the agent leaves as they are: ").append(left).append(" (why: above)\n");
    } else {
      b.append("# hot new byte[] sites could save up to ")
          .append(bytes(rate(recording.sites.stream().limit(top).filter(HotSite::direct).mapToLong(s -> s.bytes).sum())))
          .append("/s if the agent pools them (run with --classes to know)\n");
    }
    List<String> packages = packages(top);
    if (packages.isEmpty()) {
      b.append("# no hot site would be pooled: nothing worth including\n# rebyte.include=\n");
    } else {
      b.append("rebyte.include=").append(String.join(",", packages)).append('\n');
    }
    b.append("rebyte.mode=rewrite\n");
    if (minSize != null) {
      b.append("rebyte.min-size=").append(minSize).append('\n');
    }
    b.append("# where the agent writes what it decided, to compare with this advice\nrebyte.report=rebyte-report.json\n");
    return b.toString();
  }

  private double percent(long part) {
    return recording.totalBytes == 0 ? 0 : 100.0 * part / recording.totalBytes;
  }

  private long rate(long bytes) {
    return recording.seconds <= 0 ? 0 : (long) (bytes / recording.seconds);
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
