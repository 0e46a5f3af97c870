package dev.rebyte.runtime;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Heap-pressure trimming: after every GC, the occupancy of the old generation (pools named
 * {@code *Old*} or {@code *Tenured*}: G1, Parallel, Serial, generational ZGC; else all heap pools:
 * Shenandoah, ZGC) is {@code used / max} (committed when max is undefined), and above
 * {@link #THRESHOLD} (70%) the pool drops half its arrays.
 */
final class GcPressure implements NotificationListener {
  /** Old-generation occupancy after a GC above which retention is halved. */
  static final double THRESHOLD = 0.70;
  private static final AtomicBoolean FAILED = new AtomicBoolean();
  private final Set<String> heapPools;

  private GcPressure(Set<String> heapPools) {
    this.heapPools = heapPools;
  }

  /** Listens to every GC bean that emits notifications; called from the maintenance thread. */
  static void install() {
    Set<String> heap = new HashSet<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heap.add(pool.getName());
      }
    }
    GcPressure listener = new GcPressure(heap);
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter) {
        ((NotificationEmitter) gc).addNotificationListener(listener, null, null);
      }
    }
  }

  @Override
  public void handleNotification(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
        .equals(notification.getType())) {
      return;
    }
    try {
      GarbageCollectionNotificationInfo info =
          GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
      relieve(Rebyte.pool(), occupancy(info.getGcInfo().getMemoryUsageAfterGc(), heapPools));
    } catch (RuntimeException e) {
      Log.once(FAILED, "cannot read a GC notification", e);
    }
  }

  /**
   * A GC left the old generation {@code occupancy} full (0..1): above {@link #THRESHOLD}, the pool's
   * retention is halved. Returns whether it was.
   */
  static boolean relieve(BytePool pool, double occupancy) {
    if (!(occupancy > THRESHOLD)) {
      return false;
    }
    pool.evictHalf();
    return true;
  }

  /** Old-generation occupancy (0..1) from a GC's after-usage by pool name. */
  static double occupancy(Map<String, MemoryUsage> after, Set<String> heapPools) {
    long used = 0;
    long limit = 0;
    for (Map.Entry<String, MemoryUsage> e : after.entrySet()) {
      if (e.getKey().contains("Old") || e.getKey().contains("Tenured")) {
        used += e.getValue().getUsed();
        limit += limit(e.getValue());
      }
    }
    if (limit == 0) {
      for (Map.Entry<String, MemoryUsage> e : after.entrySet()) {
        if (heapPools.contains(e.getKey())) {
          used += e.getValue().getUsed();
          limit += limit(e.getValue());
        }
      }
    }
    return limit <= 0 ? 0 : (double) used / limit;
  }

  private static long limit(MemoryUsage u) {
    return u.getMax() > 0 ? u.getMax() : u.getCommitted();
  }
}
