package dev.rebyte.agent.config;

import java.util.Locale;

/** Every key the agent reads; the table of DESIGN.md "Names users see". */
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
