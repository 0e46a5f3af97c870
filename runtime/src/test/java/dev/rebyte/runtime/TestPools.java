package dev.rebyte.runtime;

import java.time.Duration;

/** Pools with their own site registry, leak tracker and a hand-driven clock. */
final class TestPools {
  static final int KIB = 1024;

  private TestPools() {}

  /** A clock the test moves by hand. */
  static final class ManualClock implements BytePool.Clock {
    long now;

    @Override
    public long nanos() {
      return now;
    }
  }

  static PoolConfig.Builder config() {
    return PoolConfig.builder().minSize(4 * KIB).maxSize(1024 * KIB).maxBytes(64L * 1024 * KIB)
        .idleTimeout(Duration.ofSeconds(30)).leakDetection(LeakDetection.DISABLED);
  }

  static BytePool pool(PoolConfig config) {
    return pool(config, new ManualClock());
  }

  static BytePool pool(PoolConfig config, ManualClock clock) {
    SiteRegistry sites = new SiteRegistry();
    return new BytePool(config, 0, clock, sites, new LeakTracker(sites));
  }

  static boolean allZero(byte[] a) {
    for (byte b : a) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
