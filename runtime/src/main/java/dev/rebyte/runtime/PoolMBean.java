package dev.rebyte.runtime;

import java.lang.management.ManagementFactory;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * {@link RebytePoolMBean} over whatever pool {@link Rebyte} currently has; sums on each read
 * ({@link PoolCounters}). Registered once per runtime copy by {@link #register()}.
 */
final class PoolMBean implements RebytePoolMBean {
  private static final Object LOCK = new Object();
  private static boolean registered; // guarded by LOCK

  private static BytePool pool() {
    return Rebyte.pool();
  }

  /**
   * Registers {@code dev.rebyte:type=Pool} on the platform MBean server unless this runtime did
   * already; a registration under that name by someone else (e.g. a copy of the runtime in another
   * class loader) is left as it is. Touches JMX: call it from the maintenance thread or on request
   * ({@link Rebyte#registerMBean()}), never from premain.
   *
   * @throws IllegalStateException if JMX refuses the registration
   */
  static void register() {
    synchronized (LOCK) {
      if (registered) {
        return;
      }
      try {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(RebytePoolMBean.OBJECT_NAME);
        if (!server.isRegistered(name)) {
          server.registerMBean(new StandardMBean(new PoolMBean(), RebytePoolMBean.class), name);
        }
      } catch (InstanceAlreadyExistsException e) {
        // registered concurrently (e.g. by a copy of the runtime in another class loader)
      } catch (JMException e) {
        throw new IllegalStateException("cannot register " + RebytePoolMBean.OBJECT_NAME, e);
      }
      registered = true;
    }
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
