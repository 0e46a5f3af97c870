package dev.rebyte.runtime;

/** {@link RebytePoolMBean} over whatever pool {@link Rebyte} currently has; sums on each read. */
final class PoolMBean implements RebytePoolMBean {
  private static BytePool pool() {
    return Rebyte.pool();
  }

  @Override
  public long getHits() {
    return pool().sites().sum(Site.HITS);
  }

  @Override
  public long getMisses() {
    return pool().sites().sum(Site.MISSES);
  }

  @Override
  public long getBypasses() {
    return pool().sites().sum(Site.BYPASSES);
  }

  @Override
  public long getReleasesPooled() {
    return pool().sites().sum(Site.POOLED);
  }

  @Override
  public long getReleasesDropped() {
    return pool().sites().sum(Site.DROPPED);
  }

  @Override
  public long getReleasesRejected() {
    return pool().sites().sum(Site.REJECTED);
  }

  @Override
  public long getRetainedBytes() {
    return pool().retainedBytes();
  }

  @Override
  public long getRetainedBuffers() {
    return PoolCounters.retainedBuffers(pool());
  }

  @Override
  public long getMaxBytes() {
    return pool().maxBytes();
  }

  @Override
  public long getBytesSaved() {
    return pool().sites().sum(Site.BYTES_SAVED);
  }

  @Override
  public long getOutstanding() {
    return pool().sites().outstanding();
  }

  @Override
  public long getLeaks() {
    return getSiteLeaks() + getLeaseLeaks();
  }

  @Override
  public long getSiteLeaks() {
    pool().leaks().expunge();
    return pool().sites().sum(Site.LEAKS);
  }

  @Override
  public long getLeaseLeaks() {
    pool().leaks().expunge();
    return pool().leaks().leaseLeaks();
  }

  @Override
  public long getSites() {
    return pool().sites().count();
  }

  @Override
  public long getEvictionsIdle() {
    return PoolCounters.classTotal(pool(), SizeClass.EVICT_IDLE);
  }

  @Override
  public long getEvictionsPressure() {
    return PoolCounters.classTotal(pool(), SizeClass.EVICT_PRESSURE);
  }

  @Override
  public long getEvictionsBound() {
    return PoolCounters.classTotal(pool(), SizeClass.EVICT_BOUND);
  }

  @Override
  public long getUseAfterRelease() {
    return PoolCounters.classTotal(pool(), SizeClass.USE_AFTER_RELEASE);
  }

  @Override
  public String getConfiguration() {
    return PoolCounters.configuration(pool());
  }
}
