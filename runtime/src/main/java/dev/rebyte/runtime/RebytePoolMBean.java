package dev.rebyte.runtime;

/**
 * The pool as JMX sees it: {@code dev.rebyte:type=Pool} on the platform MBean server. Every
 * numeric attribute is a {@code long}. Totals span the process; retained figures and evictions
 * are the current pool's (see {@link PoolStats}).
 */
public interface RebytePoolMBean {
  /** The object name the pool is registered under. */
  String OBJECT_NAME = "dev.rebyte:type=Pool";

  long getHits();

  long getMisses();

  long getBypasses();

  long getReleasesPooled();

  long getReleasesDropped();

  long getReleasesRejected();

  long getRetainedBytes();

  long getRetainedBuffers();

  long getMaxBytes();

  long getBytesSaved();

  long getOutstanding();

  /** Site leaks plus lease leaks. */
  long getLeaks();

  long getSiteLeaks();

  long getLeaseLeaks();

  /** Number of registered sites. */
  long getSites();

  long getEvictionsIdle();

  long getEvictionsPressure();

  long getEvictionsBound();

  long getUseAfterRelease();

  /** The effective configuration, one line. */
  String getConfiguration();
}
