package dev.rebyte.agent.report;

import dev.rebyte.agent.analysis.Decision;
import dev.rebyte.agent.analysis.SiteDecision;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything the agent decided, collected as classes are transformed: the façade of this package.
 *
 * <p>Entries are keyed by class name and defining loader, so a retransformed class replaces its
 * earlier entry instead of doubling it, and the same class in two loaders shows twice. Writers take
 * a {@link Snapshot}; {@link #version()} tells them whether anything changed since.
 * Thread-safe: transforms run concurrently on application threads.
 */
public final class SiteReport {
  private final Map<String, List<SiteDecision>> sitesByClass = new ConcurrentHashMap<>();
  private final Map<String, Failure> failuresByClass = new ConcurrentHashMap<>();
  private final AtomicLong version = new AtomicLong();
  private final String mode;

  /** @param mode the agent mode as users wrote it ({@code rewrite}, {@code observe}) */
  public SiteReport(String mode) {
    this.mode = mode;
  }

  /** Records the sites of one transformed class (replacing an earlier transform of it). */
  public void recordSites(String className, Object loader, List<SiteDecision> sites) {
    String key = key(className, loader);
    if (sites.isEmpty()) {
      if (sitesByClass.remove(key) != null) {
        version.incrementAndGet();
      }
      return;
    }
    sitesByClass.put(key, List.copyOf(sites));
    version.incrementAndGet();
  }

  /** Records a class left unchanged because transforming it failed; returns false if already known. */
  public boolean recordFailure(String className, Object loader, String reason, String detail) {
    Failure previous = failuresByClass.put(key(className, loader), new Failure(className, reason, detail));
    version.incrementAndGet();
    return previous == null;
  }

  /** Increases whenever an entry is added or replaced. */
  public long version() {
    return version.get();
  }

  public String mode() {
    return mode;
  }

  /** A consistent-enough copy for writing: sites sorted by class, method and line. */
  public Snapshot snapshot() {
    long v = version.get();
    List<SiteDecision> sites = new ArrayList<>();
    for (List<SiteDecision> s : sitesByClass.values()) {
      sites.addAll(s);
    }
    sites.sort(Comparator.comparing(SiteDecision::className).thenComparing(SiteDecision::methodName)
        .thenComparingInt(SiteDecision::line));
    List<Failure> failures = new ArrayList<>(failuresByClass.values());
    failures.sort(Comparator.comparing(f -> f.className));
    return new Snapshot(v, mode, sites, failures);
  }

  private static String key(String className, Object loader) {
    return className + "@" + (loader == null ? "boot" : Integer.toHexString(System.identityHashCode(loader)));
  }

  /** A class the agent left as it was because something failed. */
  public static final class Failure {
    final String className;
    final String reason;
    final String detail;

    Failure(String className, String reason, String detail) {
      this.className = className;
      this.reason = reason;
      this.detail = detail == null ? "" : detail;
    }
  }

  /** An immutable view of the report at one moment. */
  public static final class Snapshot {
    final long version;
    final String mode;
    final List<SiteDecision> sites;
    final List<Failure> failures;

    Snapshot(long version, String mode, List<SiteDecision> sites, List<Failure> failures) {
      this.version = version;
      this.mode = mode;
      this.sites = List.copyOf(sites);
      this.failures = List.copyOf(failures);
    }

    public long version() {
      return version;
    }

    /** Every site, sorted by class, method and line. */
    public List<SiteDecision> sites() {
      return sites;
    }

    /** Classes left unchanged because transforming them failed. */
    public int failedClasses() {
      return failures.size();
    }

    /** The JSON of the {@code rebyte.report} file; the {@code scan} command prints the same. */
    public String toJson() {
      return ReportFormats.json(this);
    }

    public long count(Decision d) {
      return sites.stream().filter(s -> s.decision() == d).count();
    }

    long classesWith(Decision d) {
      return sites.stream().filter(s -> s.decision() == d).map(SiteDecision::className).distinct().count();
    }

    /** The one-line summary, e.g. "rewrote 12 sites in 5 classes, rejected 7, skipped 3, failed classes 0". */
    public String summary() {
      boolean observe = mode.equals("observe");
      Decision changed = observe ? Decision.OBSERVED : Decision.POOLED;
      return (observe ? "observed " : "rewrote ") + count(changed) + " sites in " + classesWith(changed)
          + " classes" + (observe ? " (observe mode: nothing rewritten)" : "")
          + ", rejected " + count(Decision.REJECTED) + ", skipped " + count(Decision.SKIPPED)
          + ", failed classes " + failures.size();
    }
  }
}
