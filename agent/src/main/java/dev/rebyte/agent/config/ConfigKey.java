package dev.rebyte.agent.config;

import dev.rebyte.runtime.LeakDetection;
import dev.rebyte.runtime.PoolConfig;
import java.time.Duration;
import java.util.Locale;

/**
 * Every key the agent reads, and its default; the table of DESIGN.md "Names users see".
 *
 * <pre>
 * key                default          constant
 * include, exclude   none             (the agent refuses an empty include unless mode=off)
 * min-size           4k               {@link #DEFAULT_MIN_SIZE}, the pool's
 * max-size           16m              {@link #DEFAULT_MAX_SIZE}, the pool's
 * pool.max-bytes     1/16 of -Xmx     {@link #DEFAULT_POOL_MAX_BYTES}, the pool's
 * pool.idle-timeout  30s              {@link #DEFAULT_POOL_IDLE_TIMEOUT}, the pool's
 * trust, distrust    none
 * mode               rewrite          {@link #DEFAULT_MODE}
 * rounded            true             {@link #DEFAULT_ROUNDED}
 * owners             false            {@link #DEFAULT_OWNERS}
 * owner.release      none
 * report, http       none
 * leak-detection     sampled          {@link #DEFAULT_LEAK_DETECTION}, the pool's
 * strict             false            {@link #DEFAULT_STRICT}
 * </pre>
 */
public enum ConfigKey {
  INCLUDE("include"),
  EXCLUDE("exclude"),
  MIN_SIZE("min-size"),
  MAX_SIZE("max-size"),
  POOL_MAX_BYTES("pool.max-bytes"),
  POOL_IDLE_TIMEOUT("pool.idle-timeout"),
  TRUST("trust"),
  DISTRUST("distrust"),
  MODE("mode"),
  ROUNDED("rounded"),
  OWNERS("owners"),
  OWNER_RELEASE("owner.release"),
  REPORT("report"),
  HTTP("http"),
  LEAK_DETECTION("leak-detection"),
  STRICT("strict"),
  /** The properties file; read from the agent argument, system property or environment only. */
  CONFIG("config");

  /*
   * One place for each default: ConfigReader falls back to these constants and the builder of
   * TransformSettings starts from them, so settings built without a configuration (the tests, the
   * corpus tools) are the ones the agent runs with when nothing is set. The pool's keys take the
   * pool's own defaults (PoolConfig.defaults()): the runtime depends on nothing, runs with them when
   * no agent configures it, and the agent must not disagree with it. Keys whose default is "none"
   * (lists, report, http) have no constant: nothing set is the empty list or null.
   */
  private static final PoolConfig POOL = PoolConfig.defaults();

  /** {@code min-size=4k}: constant sites below are left alone, variable ones bypass the pool. */
  public static final int DEFAULT_MIN_SIZE = POOL.minSize();
  /** {@code max-size=16m}. */
  public static final int DEFAULT_MAX_SIZE = POOL.maxSize();
  /** {@code pool.max-bytes}: 1/16 of the maximum heap. */
  public static final long DEFAULT_POOL_MAX_BYTES = POOL.maxBytes();
  /** {@code pool.idle-timeout=30s}. */
  public static final Duration DEFAULT_POOL_IDLE_TIMEOUT = POOL.idleTimeout();
  /** {@code mode=rewrite}. */
  public static final AgentMode DEFAULT_MODE = AgentMode.REWRITE;
  /** {@code rounded=true}. */
  public static final boolean DEFAULT_ROUNDED = true;
  /** {@code owners=false}: owner-scoped buffers are found and reported, pooled nowhere. */
  public static final OwnerScope DEFAULT_OWNERS = OwnerScope.NONE;
  /** {@code leak-detection=sampled}. */
  public static final LeakDetection DEFAULT_LEAK_DETECTION = POOL.leakDetection();
  /** {@code strict=false}: a configuration error disables the agent instead of stopping the JVM. */
  public static final boolean DEFAULT_STRICT = false;

  static final String PREFIX = "rebyte.";
  static final String ENV_PREFIX = "REBYTE_";

  private final String shortName;

  ConfigKey(String shortName) {
    this.shortName = shortName;
  }

  /** The full name, e.g. {@code rebyte.pool.max-bytes}. */
  public String key() {
    return PREFIX + shortName;
  }

  /** The environment variable, e.g. {@code REBYTE_POOL_MAX_BYTES}. */
  public String envName() {
    return toEnvName(key());
  }

  static String toEnvName(String key) {
    return key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /** The key for a name with or without the {@code rebyte.} prefix, or {@code null} if unknown. */
  static ConfigKey byName(String name) {
    String shortName = name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
    for (ConfigKey k : values()) {
      if (k.shortName.equals(shortName)) {
        return k;
      }
    }
    return null;
  }

  /** The key for an environment variable name, or {@code null} if unknown. */
  static ConfigKey byEnvName(String env) {
    for (ConfigKey k : values()) {
      if (k.envName().equals(env)) {
        return k;
      }
    }
    return null;
  }
}
