package dev.rebyte.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.reflect.Constructor;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.management.Notification;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;
import org.junit.jupiter.api.Test;

class GcPressureTest {
  private static MemoryUsage usage(long used, long committed, long max) {
    return new MemoryUsage(0, used, committed, max);
  }

  @Test
  void occupancy_oldGenerationOnly() {
    Map<String, MemoryUsage> after = new HashMap<>();
    after.put("G1 Old Gen", usage(80, 90, 100));
    after.put("G1 Eden Space", usage(0, 50, -1));
    after.put("Metaspace", usage(1000, 1000, -1));
    assertEquals(0.8, GcPressure.occupancy(after, Collections.singleton("G1 Eden Space")), 1e-9);
  }

  @Test
  void occupancy_noOldPool_usesHeapPools_committedWhenNoMax() {
    Map<String, MemoryUsage> after = new HashMap<>();
    after.put("Shenandoah", usage(30, 40, -1));
    after.put("Metaspace", usage(1000, 1000, -1));
    assertEquals(0.75, GcPressure.occupancy(after, Collections.singleton("Shenandoah")), 1e-9);
  }

  @Test
  void occupancy_tenuredAndEmpty() {
    assertEquals(0.5, GcPressure.occupancy(
        Collections.singletonMap("Tenured Gen", usage(50, 60, 100)), Collections.emptySet()), 1e-9);
    assertEquals(0.0, GcPressure.occupancy(Collections.emptyMap(), Collections.emptySet()), 1e-9);
  }

  /** A pool whose 8 KiB class holds {@code n} arrays. */
  private static BytePool poolHolding(int n) {
    BytePool pool = TestPools.pool(TestPools.config().build());
    byte[][] held = new byte[n][];
    for (int i = 0; i < n; i++) {
      held[i] = pool.acquire(8192, -1, false);
    }
    for (byte[] a : held) {
      pool.release(a, -1, -1);
    }
    assertEquals(n, pool.stats().retainedBuffers());
    return pool;
  }

  @Test
  void relieve_aboveThreshold_evictsHalfRoundedUp() {
    BytePool pool = poolHolding(5);
    assertTrue(GcPressure.relieve(pool, GcPressure.THRESHOLD + 0.01));
    PoolStats s = pool.stats();
    assertEquals(2, s.retainedBuffers());
    assertEquals(2 * 8192, s.retainedBytes());
    assertEquals(3, s.evictionsPressure());
  }

  @Test
  void relieve_atOrBelowThresholdOrNaN_evictsNothing() {
    BytePool pool = poolHolding(4);
    for (double occupancy : new double[] {GcPressure.THRESHOLD, 0.5, 0.0, Double.NaN}) {
      assertFalse(GcPressure.relieve(pool, occupancy), "occupancy " + occupancy);
    }
    assertEquals(4, pool.stats().retainedBuffers());
    assertEquals(0, pool.stats().evictionsPressure());
  }

  /*
   * The listener path, without hoping for a full heap: a notification built from this JVM's last
   * real GcInfo (so its CompositeType is the platform's), with the after-GC usage replaced by an
   * old generation of our choosing, is handed to a listener; it must relieve the process pool
   * (Rebyte.pool()) exactly when that occupancy is above the threshold, and never throw.
   */
  @Test
  void handleNotification_oldGenAboveThreshold_evictsHalfOfTheProcessPool() throws Exception {
    processPoolHolding(4);
    long before = Rebyte.stats().evictionsPressure();
    listener().handleNotification(gcNotification(usage(90, 95, 100)), null);
    assertEquals(2, Rebyte.stats().retainedBuffers());
    assertEquals(before + 2, Rebyte.stats().evictionsPressure());
  }

  @Test
  void handleNotification_belowThresholdOtherTypeOrUnreadable_evictsNothing() throws Exception {
    processPoolHolding(4);
    GcPressure listener = listener();
    listener.handleNotification(gcNotification(usage(50, 95, 100)), null);
    Notification other = new Notification("jmx.attribute.change", "test", 2);
    other.setUserData(gcNotification(usage(90, 95, 100)).getUserData());
    listener.handleNotification(other, null);
    Notification unreadable = new Notification(
        GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION, "test", 3);
    unreadable.setUserData("not composite data"); // logged once, never thrown
    listener.handleNotification(unreadable, null);
    assertEquals(4, Rebyte.stats().retainedBuffers());
  }

  /** Configures a fresh process pool whose 8 KiB class holds {@code n} arrays; returns the site. */
  private static int processPoolHolding(int n) {
    Rebyte.configure(PoolConfig.builder().maxBytes(1L << 20).idleTimeout(Duration.ofMinutes(5))
        .leakDetection(LeakDetection.DISABLED).build());
    int site = Rebyte.registerSite("com/acme/Gc", "run", "()V", 1, 8192, SiteMode.EXACT);
    byte[][] held = new byte[n][];
    for (int i = 0; i < n; i++) {
      held[i] = Rebyte.acquire(8192, site);
    }
    for (byte[] a : held) {
      Rebyte.release(a, site);
    }
    assertEquals(n, Rebyte.stats().retainedBuffers());
    return site;
  }

  /** A listener as install() makes it (its constructor is private: install() is the only user). */
  private static GcPressure listener() throws Exception {
    Constructor<GcPressure> c = GcPressure.class.getDeclaredConstructor(Set.class);
    c.setAccessible(true);
    return c.newInstance(Collections.<String>emptySet());
  }

  /** A GC notification whose after-GC usage is one old generation, {@code oldGen}. */
  private static Notification gcNotification(MemoryUsage oldGen) throws Exception {
    CompositeData info = lastGcInfo().toCompositeData(null);
    CompositeType type = info.getCompositeType();
    TabularType tableType = ((TabularData) info.get("memoryUsageAfterGc")).getTabularType();
    CompositeType rowType = tableType.getRowType();
    CompositeType usageType = (CompositeType) rowType.getType("value");
    CompositeData usage = new CompositeDataSupport(usageType,
        new String[] {"init", "used", "committed", "max"},
        new Object[] {oldGen.getInit(), oldGen.getUsed(), oldGen.getCommitted(), oldGen.getMax()});
    TabularDataSupport after = new TabularDataSupport(tableType);
    after.put(new CompositeDataSupport(rowType, new String[] {"key", "value"},
        new Object[] {"Test Old Gen", usage}));
    Map<String, Object> items = new HashMap<>();
    for (String key : type.keySet()) {
      items.put(key, info.get(key));
    }
    items.put("memoryUsageAfterGc", after);
    GcInfo gcInfo = GcInfo.from(new CompositeDataSupport(type, items));
    Notification n = new Notification(
        GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION, "test", 1);
    n.setUserData(new GarbageCollectionNotificationInfo("Test GC", "end of major GC", "test", gcInfo)
        .toCompositeData(null));
    return n;
  }

  /** The GcInfo of this JVM's last GC, after asking for one if there was none yet. */
  private static GcInfo lastGcInfo() throws InterruptedException {
    for (int round = 0; round < 50; round++) {
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        GcInfo info = ((com.sun.management.GarbageCollectorMXBean) gc).getLastGcInfo();
        if (info != null) {
          return info;
        }
      }
      System.gc();
      Thread.sleep(10);
    }
    throw new AssertionError("no GC bean reports a last GC");
  }
}
