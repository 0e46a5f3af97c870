package dev.rebyte.agent.config;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The raw values of one source, in precedence order: agent argument, system property, environment,
 * file. Values are kept as typed; {@link ConfigReader} validates them.
 */
final class ConfigSource {
  private final String description;
  private final Map<ConfigKey, String> values;

  ConfigSource(String description, EnumMap<ConfigKey, String> values) {
    this.description = description;
    this.values = Collections.unmodifiableMap(new EnumMap<>(values));
  }

  /** Names the source in messages: "agent argument", "system property", "file rebyte.properties". */
  String description() {
    return description;
  }

  String get(ConfigKey key) {
    return values.get(key);
  }

  boolean has(ConfigKey key) {
    return values.containsKey(key);
  }

  /** Where a key's value came from, e.g. "system property rebyte.mode", "environment REBYTE_MODE". */
  String describe(ConfigKey key) {
    if (description.equals("system property")) {
      return "system property " + key.key();
    }
    if (description.equals("environment")) {
      return "environment " + key.envName();
    }
    return description;
  }
}
