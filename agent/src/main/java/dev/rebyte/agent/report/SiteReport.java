package dev.rebyte.agent.report;

import dev.rebyte.agent.decision.Decision;
import dev.rebyte.agent.decision.Reason;
import dev.rebyte.agent.decision.SiteDecision;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
  /** By loader description; classes are added under the entry's own lock. */
  private final Map<String, SkippedLoader> skippedLoaders = new ConcurrentHashMap<>();
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

  /**
   * Records a class loader whose classes are left unchanged because it does not resolve the runtime
   * to the bootstrap class path's copy; {@code loader} describes it (class, name, toString).
   */
  public void recordSkippedLoader(String loader, String reason) {
    if (skippedLoaders.putIfAbsent(loader, new SkippedLoader(loader, reason)) == null) {
      version.incrementAndGet();
    }
  }

  /** Records a selected class of a skipped loader; a class seen again (retransformed) counts once. */
  public void recordSkippedClass(String loader, String className) {
    // get and putIfAbsent, not computeIfAbsent: this runs inside class loading (OTel discussion 17224)
    SkippedLoader l = skippedLoaders.get(loader);
    if (l == null) {
      skippedLoaders.putIfAbsent(loader, new SkippedLoader(loader, ""));
      l = skippedLoaders.get(loader);
    }
    boolean added;
    synchronized (l) {
      added = l.classes.add(className);
    }
    if (added) {
      version.incrementAndGet();
    }
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
    List<SkippedLoader> loaders = new ArrayList<>();
    for (SkippedLoader l : skippedLoaders.values()) {
      synchronized (l) {
        loaders.add(l.copy());
      }
    }
    loaders.sort(Comparator.comparing(l -> l.loader));
    return new Snapshot(v, mode, sites, failures, loaders);
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

  /** A class loader whose classes the agent leaves unchanged, and the selected classes it defined. */
  public static final class SkippedLoader {
    final String loader;
    final String reason;
    final Set<String> classes = new TreeSet<>();

    SkippedLoader(String loader, String reason) {
      this.loader = loader;
      this.reason = reason;
    }

    SkippedLoader copy() {
      SkippedLoader c = new SkippedLoader(loader, reason);
      c.classes.addAll(classes);
      return c;
    }
  }

  /** A field examined as an owner-scoped buffer, with the sites stored into it. Immutable. */
  public static final class OwnerField {
    public final String className;
    public final String field;
    public final Decision decision;
    public final Reason reason;
    public final String detail;
    public final int sites;
    /** The largest constant length of its sites, -1 when one is variable. */
    public final int bytesPerInstance;

    OwnerField(SiteDecision d) {
      this(d.className(), d.ownerField(), d.decision(), d.reason(), d.detail(), 1, d.constantLength());
    }

    private OwnerField(String className, String field, Decision decision, Reason reason, String detail,
        int sites, int bytesPerInstance) {
      this.className = className;
      this.field = field;
      this.decision = decision;
      this.reason = reason;
      this.detail = detail;
      this.sites = sites;
      this.bytesPerInstance = bytesPerInstance;
    }

    OwnerField plus(OwnerField other) {
      int bytes = bytesPerInstance < 0 || other.bytesPerInstance < 0 ? -1
          : Math.max(bytesPerInstance, other.bytesPerInstance);
      return new OwnerField(className, field, decision, reason, detail, sites + other.sites, bytes);
    }
  }

  /** An immutable view of the report at one moment. */
  public static final class Snapshot {
    final long version;
    final String mode;
    final List<SiteDecision> sites;
    final List<Failure> failures;
    final List<SkippedLoader> skippedLoaders;

    Snapshot(long version, String mode, List<SiteDecision> sites, List<Failure> failures,
        List<SkippedLoader> skippedLoaders) {
      this.version = version;
      this.mode = mode;
      this.sites = List.copyOf(sites);
      this.failures = List.copyOf(failures);
      this.skippedLoaders = List.copyOf(skippedLoaders);
    }

    /** Class loaders whose classes are left unchanged (they do not see the boot runtime). */
    public int skippedLoaders() {
      return skippedLoaders.size();
    }

    /** Selected classes of those loaders, each counted once. */
    public int classesInSkippedLoaders() {
      return skippedLoaders.stream().mapToInt(l -> l.classes.size()).sum();
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

    /**
     * The fields examined as owner-scoped buffers (sites with an {@link SiteDecision#ownerField()}),
     * one entry per class and field, in the order of the sites.
     */
    public List<OwnerField> owners() {
      Map<String, OwnerField> byField = new LinkedHashMap<>();
      for (SiteDecision d : sites) {
        if (!d.ownerField().isEmpty()) {
          byField.merge(d.className() + "." + d.ownerField(), new OwnerField(d), OwnerField::plus);
        }
      }
      return List.copyOf(byField.values());
    }

    /**
     * One line on owner-scoped fields, e.g. "owner-scoped fields: 2 pooled, 3 found but not enabled
     * (73728 bytes per instance; rebyte.owners=true pools them), 9 rejected"; "" when there is none.
     */
    public String ownersLine() {
      List<OwnerField> owners = owners();
      if (owners.isEmpty()) {
        return "";
      }
      long pooled = owners.stream().filter(o -> o.reason == Reason.OWNED_BY_INSTANCE).count();
      List<OwnerField> off = new ArrayList<>();
      for (OwnerField o : owners) {
        if (o.reason == Reason.OWNERS_DISABLED) {
          off.add(o);
        }
      }
      long bytes = off.stream().filter(o -> o.bytesPerInstance > 0).mapToLong(o -> o.bytesPerInstance).sum();
      long variable = off.stream().filter(o -> o.bytesPerInstance < 0).count();
      return "owner-scoped fields: " + pooled + " pooled, " + off.size() + " found but not enabled"
          + (off.isEmpty() ? "" : " (" + (bytes > 0 ? bytes + " bytes per instance" : "")
              + (bytes > 0 && variable > 0 ? " + " : "") + (variable > 0 ? variable + " of variable length" : "")
              + "; rebyte.owners=true pools them)")
          + ", " + (owners.size() - pooled - off.size()) + " rejected";
    }

    /**
     * The one-line summary, e.g. "rewrote 12 sites in 5 classes, rejected 7, skipped 3, failed classes 0";
     * when a class loader was skipped it ends with ", class loaders skipped 1 (4 classes unchanged)".
     */
    public String summary() {
      boolean observe = mode.equals("observe");
      Decision changed = observe ? Decision.OBSERVED : Decision.POOLED;
      return (observe ? "observed " : "rewrote ") + count(changed) + " sites in " + classesWith(changed)
          + " classes" + (observe ? " (observe mode: nothing rewritten)" : "")
          + ", rejected " + count(Decision.REJECTED) + ", skipped " + count(Decision.SKIPPED)
          + ", failed classes " + failures.size()
          + (skippedLoaders.isEmpty() ? "" : ", class loaders skipped " + skippedLoaders.size() + " ("
              + classesInSkippedLoaders() + " classes unchanged)");
    }
  }
}
