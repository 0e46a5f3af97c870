package dev.rebyte.runtime;

import java.time.Duration;

/**
 * The pool's settings, validated and immutable. Built once by the agent from {@code rebyte.*}
 * keys and handed to {@link Rebyte#configure(PoolConfig)} before any rewritten code runs.
 */
public final class PoolConfig {
  private final int minSize;
  private final int maxSize;
  private final long maxBytes;
  private final Duration idleTimeout;
  private final LeakDetection leakDetection;
  private final boolean poison;

  private PoolConfig(Builder b) {
    this.minSize = b.minSize;
    this.maxSize = b.maxSize;
    this.maxBytes = b.maxBytes;
    this.idleTimeout = b.idleTimeout;
    this.leakDetection = b.leakDetection;
    this.poison = b.poison;
  }

  /** The defaults: 4 KiB to 16 MiB, 1/16 of the max heap, 30 s idle, sampled leak detection. */
  public static PoolConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Smallest pooled length in bytes. */
  public int minSize() {
    return minSize;
  }

  /** Largest pooled length in bytes. */
  public int maxSize() {
    return maxSize;
  }

  /** Upper bound on the bytes the pool retains. */
  public long maxBytes() {
    return maxBytes;
  }

  /** Buffers idle longer than this are dropped. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  public LeakDetection leakDetection() {
    return leakDetection;
  }

  /** Debug mode: released arrays are filled with a poison pattern so use-after-release shows up. */
  public boolean poison() {
    return poison;
  }

  @Override
  public String toString() {
    return "min-size=" + minSize + " max-size=" + maxSize + " max-bytes=" + maxBytes
        + " idle-timeout=" + idleTimeout.toMillis() + "ms leak-detection="
        + leakDetection.name().toLowerCase(java.util.Locale.ROOT) + " poison=" + poison;
  }

  /** Builds a {@link PoolConfig}; {@link #build()} throws {@link IllegalArgumentException} on bad values. */
  public static final class Builder {
    private int minSize = 4 * 1024;
    private int maxSize = 16 * 1024 * 1024;
    private long maxBytes = Runtime.getRuntime().maxMemory() / 16;
    private Duration idleTimeout = Duration.ofSeconds(30);
    private LeakDetection leakDetection = LeakDetection.SAMPLED;
    private boolean poison;

    private Builder() {}

    public Builder minSize(int bytes) {
      this.minSize = bytes;
      return this;
    }

    public Builder maxSize(int bytes) {
      this.maxSize = bytes;
      return this;
    }

    public Builder maxBytes(long bytes) {
      this.maxBytes = bytes;
      return this;
    }

    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = timeout;
      return this;
    }

    public Builder leakDetection(LeakDetection level) {
      this.leakDetection = level;
      return this;
    }

    public Builder poison(boolean on) {
      this.poison = on;
      return this;
    }

    public PoolConfig build() {
      if (minSize < 1) {
        throw new IllegalArgumentException("min-size must be positive: " + minSize);
      }
      if (maxSize < minSize) {
        throw new IllegalArgumentException(
            "max-size (" + maxSize + ") must not be below min-size (" + minSize + ")");
      }
      if (maxBytes < 0) {
        throw new IllegalArgumentException("max-bytes must not be negative: " + maxBytes);
      }
      if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
        throw new IllegalArgumentException("idle-timeout must be positive: " + idleTimeout);
      }
      if (leakDetection == null) {
        throw new IllegalArgumentException("leak-detection must be set");
      }
      return new PoolConfig(this);
    }
  }
}
