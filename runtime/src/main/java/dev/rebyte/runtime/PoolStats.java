package dev.rebyte.runtime;

import java.util.Collections;
import java.util.List;

/**
 * Read-only snapshot of the pool, from {@link Rebyte#stats()}.
 *
 * <p>Acquire, release, bytes-saved, outstanding and leak totals are sums over every site (the
 * unknown-site bucket included) since the process started, across {@link Rebyte#configure}
 * calls. Retained bytes and buffers, evictions, use-after-release detections and the size classes
 * describe the current pool. Counters are read one after the other while the pool runs, so
 * totals taken under load may disagree by the operations in flight.
 */
public final class PoolStats {
  private final long[] t; // totals by Site counter index
  private final long outstanding;
  private final long leaseLeaks;
  private final long retainedBytes;
  private final long retainedBuffers;
  private final long maxBytes;
  private final long[] classTotals; // by SizeClass counter index
  private final List<SiteStats> sites;
  private final SiteStats unknownSite;
  private final List<SizeClassStats> sizeClasses;
  private final List<LeakRecord> recentLeaks;
  private final String configuration;

  PoolStats(long[] totals, long outstanding, long leaseLeaks, long retainedBytes,
      long retainedBuffers, long maxBytes, long[] classTotals, List<SiteStats> sites,
      SiteStats unknownSite, List<SizeClassStats> sizeClasses, List<LeakRecord> recentLeaks,
      String configuration) {
    this.t = totals;
    this.outstanding = outstanding;
    this.leaseLeaks = leaseLeaks;
    this.retainedBytes = retainedBytes;
    this.retainedBuffers = retainedBuffers;
    this.maxBytes = maxBytes;
    this.classTotals = classTotals;
    this.sites = Collections.unmodifiableList(sites);
    this.unknownSite = unknownSite;
    this.sizeClasses = Collections.unmodifiableList(sizeClasses);
    this.recentLeaks = Collections.unmodifiableList(recentLeaks);
    this.configuration = configuration;
  }

  /** Acquires served from the pool. */
  public long hits() {
    return t[Site.HITS];
  }

  /** Acquires the pool could serve but allocated, because no fitting array was pooled. */
  public long misses() {
    return t[Site.MISSES];
  }

  /** Acquires of lengths outside the classes, allocated with {@code new}. */
  public long bypasses() {
    return t[Site.BYPASSES];
  }

  public long releasesPooled() {
    return t[Site.POOLED];
  }

  /** Releases not retained: outside the classes, over a bound, or a contended stripe. */
  public long releasesDropped() {
    return t[Site.DROPPED];
  }

  /** Releases of arrays that were pooled already (double release, detected). */
  public long releasesRejected() {
    return t[Site.REJECTED];
  }

  /** Bytes not allocated thanks to hits. */
  public long bytesSaved() {
    return t[Site.BYTES_SAVED];
  }

  /** Arrays acquired and not released (includes leaked and never-releasing ones). */
  public long outstanding() {
    return outstanding;
  }

  /** All leaks: {@link #siteLeaks()} + {@link #leaseLeaks()}. */
  public long leaks() {
    return siteLeaks() + leaseLeaks;
  }

  /** Tracked arrays of rewritten sites collected without release ({@code kind=site}). */
  public long siteLeaks() {
    return t[Site.LEAKS];
  }

  /** Tracked leases collected without close ({@code kind=lease}). */
  public long leaseLeaks() {
    return leaseLeaks;
  }

  /** Observe mode: acquires that would have been made. */
  public long observed() {
    return t[Site.OBSERVED];
  }

  public long observedBytes() {
    return t[Site.OBSERVED_BYTES];
  }

  public long retainedBytes() {
    return retainedBytes;
  }

  public long retainedBuffers() {
    return retainedBuffers;
  }

  /** The bound on {@link #retainedBytes()}. */
  public long maxBytes() {
    return maxBytes;
  }

  public long evictionsIdle() {
    return classTotals[SizeClass.EVICT_IDLE];
  }

  public long evictionsPressure() {
    return classTotals[SizeClass.EVICT_PRESSURE];
  }

  /** Released arrays not retained because a bound (bytes or slots) was reached. */
  public long evictionsBound() {
    return classTotals[SizeClass.EVICT_BOUND];
  }

  /** Poison mode: pooled arrays found written to after their release. */
  public long useAfterRelease() {
    return classTotals[SizeClass.USE_AFTER_RELEASE];
  }

  /** Registered sites by id ({@code sites().get(id).id() == id}). */
  public List<SiteStats> sites() {
    return sites;
  }

  /** The bucket of calls with unregistered site ids, and of leases. */
  public SiteStats unknownSite() {
    return unknownSite;
  }

  /** The current pool's classes, smallest first. */
  public List<SizeClassStats> sizeClasses() {
    return sizeClasses;
  }

  /** The last few leaks, oldest first. */
  public List<LeakRecord> recentLeaks() {
    return recentLeaks;
  }

  /** The effective configuration, one line. */
  public String configuration() {
    return configuration;
  }

  @Override
  public String toString() {
    return "hits=" + hits() + " misses=" + misses() + " bypasses=" + bypasses() + " pooled="
        + releasesPooled() + " dropped=" + releasesDropped() + " rejected=" + releasesRejected()
        + " retained=" + retainedBytes + "/" + maxBytes + " buffers=" + retainedBuffers + " saved="
        + bytesSaved() + " outstanding=" + outstanding + " leaks=" + leaks() + " sites="
        + sites.size();
  }
}
