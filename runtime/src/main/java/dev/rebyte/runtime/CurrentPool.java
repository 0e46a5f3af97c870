package dev.rebyte.runtime;

import java.util.Objects;

/**
 * The pool that serves right now: created with {@link PoolConfig#defaults()} on first use when
 * nothing configured one, replaced by {@link #configure}. What outlives a pool is kept here and
 * handed to each new one: the site registry and the leak tracker. {@link Rebyte} has the process's
 * instance; tests make their own.
 */
final class CurrentPool {
  /*
   * pool is volatile and read without a lock on every call. configure and the lazy creation write
   * it under the lock, so two first calls that race create one default pool, and a configure that
   * races with the lazy creation either replaces the default pool or is what the lazy path finds.
   * The replaced pool is retired outside the lock: it drops what it retains, and drops what is
   * released to it later by borrowers that got their array from it.
   */
  private final Object lock = new Object();
  private final SiteRegistry sites = new SiteRegistry();
  private final LeakTracker leaks = new LeakTracker(sites);
  private final BytePool.Clock clock;
  private final boolean maintained;
  private volatile BytePool pool;

  /**
   * @param clock the clock of every pool made here
   * @param maintained whether configuring starts the {@link Maintenance} thread (which serves the
   *     process's pool, {@link Rebyte#pool()}): true only for the process's instance
   */
  CurrentPool(BytePool.Clock clock, boolean maintained) {
    this.clock = clock;
    this.maintained = maintained;
  }

  /**
   * Replaces the pool by a new one with {@code config} and retires the old one (see
   * {@link Rebyte#configure}); logs the effective configuration in one line.
   */
  void configure(PoolConfig config) {
    Objects.requireNonNull(config, "config");
    BytePool next = new BytePool(config, SizeClasses.jvmRegionSize(), clock, sites, leaks);
    BytePool old;
    synchronized (lock) {
      old = pool;
      pool = next;
    }
    if (old != null) {
      old.retire();
    }
    Log.info("pool " + config + " " + next.table());
    if (maintained) {
      Maintenance.start();
    }
  }

  /** The current pool, created with the defaults on first use. */
  BytePool get() {
    BytePool p = pool;
    return p != null ? p : defaultPool();
  }

  private BytePool defaultPool() {
    synchronized (lock) {
      if (pool == null) {
        configure(PoolConfig.defaults());
      }
      return pool;
    }
  }

  /** The sites registered so far, shared by every pool made here. */
  SiteRegistry sites() {
    return sites;
  }
}
