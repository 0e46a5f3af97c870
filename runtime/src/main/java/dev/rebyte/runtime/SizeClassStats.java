package dev.rebyte.runtime;

/** Read-only snapshot of one size class of the current pool. */
public final class SizeClassStats {
  private final int index;
  private final int lowerBound;
  private final int size;
  private final boolean humongousEdge;
  private final long maxBytes;
  private final long retainedBytes;
  private final int retainedBuffers;
  private final long[] c;

  SizeClassStats(SizeClass sc, long retainedBytes, int retainedBuffers, long[] counters) {
    this.index = sc.index;
    this.lowerBound = sc.lower;
    this.size = sc.size;
    this.humongousEdge = sc.humongousEdge;
    this.maxBytes = sc.maxBytes;
    this.retainedBytes = retainedBytes;
    this.retainedBuffers = retainedBuffers;
    this.c = counters;
  }

  public int index() {
    return index;
  }

  /** Smallest length this class holds. */
  public int lowerBound() {
    return lowerBound;
  }

  /** Largest length this class holds; the capacity rounded-mode misses allocate. */
  public int size() {
    return size;
  }

  /** Whether this is the extra class just under the G1 humongous threshold. */
  public boolean humongousEdge() {
    return humongousEdge;
  }

  /** This class's share of the pool's bound. */
  public long maxBytes() {
    return maxBytes;
  }

  public long retainedBytes() {
    return retainedBytes;
  }

  public int retainedBuffers() {
    return retainedBuffers;
  }

  public long hits() {
    return c[SizeClass.HITS];
  }

  public long misses() {
    return c[SizeClass.MISSES];
  }

  public long bytesSaved() {
    return c[SizeClass.BYTES_SAVED];
  }

  public long releasesPooled() {
    return c[SizeClass.POOLED];
  }

  /** Releases of arrays of this class that were not retained (bound reached, contention). */
  public long releasesDropped() {
    return c[SizeClass.DROPPED];
  }

  public long releasesRejected() {
    return c[SizeClass.REJECTED];
  }

  public long evictionsIdle() {
    return c[SizeClass.EVICT_IDLE];
  }

  public long evictionsPressure() {
    return c[SizeClass.EVICT_PRESSURE];
  }

  public long evictionsBound() {
    return c[SizeClass.EVICT_BOUND];
  }

  /** Poison mode: hits whose poison had been overwritten while pooled. */
  public long useAfterRelease() {
    return c[SizeClass.USE_AFTER_RELEASE];
  }

  @Override
  public String toString() {
    return "class " + index + " [" + lowerBound + ", " + size + "]" + (humongousEdge ? " (G1 edge)" : "")
        + " retained=" + retainedBytes + "/" + maxBytes + " buffers=" + retainedBuffers + " hits="
        + hits() + " misses=" + misses() + " pooled=" + releasesPooled() + " dropped="
        + releasesDropped() + " rejected=" + releasesRejected();
  }
}
