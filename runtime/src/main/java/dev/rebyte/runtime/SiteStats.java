package dev.rebyte.runtime;

/** Read-only snapshot of one allocation site: what it is and what the pool did for it. */
public final class SiteStats {
  private final int id;
  private final String className;
  private final String methodName;
  private final String methodDescriptor;
  private final int line;
  private final int constantLength;
  private final SiteMode mode;
  private final String description;
  private final long[] c;

  SiteStats(Site site, long[] counters) {
    this.id = site.id;
    this.className = site.className;
    this.methodName = site.methodName;
    this.methodDescriptor = site.methodDescriptor;
    this.line = site.line;
    this.constantLength = site.constantLength;
    this.mode = site.mode;
    this.description = site.describe();
    this.c = counters;
  }

  /** Dense id from 0; -1 for the bucket of unknown ids and leases. */
  public int id() {
    return id;
  }

  /** Internal name, as registered ({@code com/acme/Foo}). */
  public String className() {
    return className;
  }

  public String methodName() {
    return methodName;
  }

  public String methodDescriptor() {
    return methodDescriptor;
  }

  /** Source line, or -1. */
  public int line() {
    return line;
  }

  /** The compile-time constant length, or -1. */
  public int constantLength() {
    return constantLength;
  }

  public SiteMode mode() {
    return mode;
  }

  public long hits() {
    return c[Site.HITS];
  }

  public long misses() {
    return c[Site.MISSES];
  }

  public long bypasses() {
    return c[Site.BYPASSES];
  }

  /** All acquires: hits + misses + bypasses. */
  public long acquires() {
    return hits() + misses() + bypasses();
  }

  public long releasesPooled() {
    return c[Site.POOLED];
  }

  public long releasesDropped() {
    return c[Site.DROPPED];
  }

  public long releasesRejected() {
    return c[Site.REJECTED];
  }

  /** Bytes not allocated thanks to hits (the requested lengths of hits). */
  public long bytesSaved() {
    return c[Site.BYTES_SAVED];
  }

  /** Acquired and not released: acquires - pooled - dropped (rejected releases are repeats). */
  public long outstanding() {
    return acquires() - releasesPooled() - releasesDropped();
  }

  /** Arrays acquired here that were collected without having been released. */
  public long leaks() {
    return c[Site.LEAKS];
  }

  /** Observe mode: acquires that would have been made. */
  public long observed() {
    return c[Site.OBSERVED];
  }

  /** Observe mode: bytes those acquires asked for. */
  public long observedBytes() {
    return c[Site.OBSERVED_BYTES];
  }

  @Override
  public String toString() {
    return "site " + id + " " + description + " mode=" + mode + " hits=" + hits() + " misses="
        + misses() + " bypasses=" + bypasses() + " pooled=" + releasesPooled() + " dropped="
        + releasesDropped() + " rejected=" + releasesRejected() + " saved=" + bytesSaved()
        + " outstanding=" + outstanding() + " leaks=" + leaks() + " observed=" + observed();
  }
}
