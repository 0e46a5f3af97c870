package dev.rebyte.agent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the four sources and merges them by precedence: agent argument, then system property, then
 * environment, then the file named by {@code config}. Then hands the merged values to
 * {@link ConfigReader} for validation. The syntax each source accepts is the one
 * {@code docs/configuration.md} documents ({@link ConfigReference} renders its examples from this
 * class): agent-argument items and file lines are {@code key=value}, or {@code key:value} when there
 * is no '=', the {@code rebyte.} prefix optional.
 *
 * <p>Source-level problems found here: an agent-argument item that is not {@code key=value}, an
 * unknown key (agent argument, system property, file), a key given twice in one source (also as
 * {@code include} and {@code rebyte.include}), an unreadable file, {@code config} inside the file.
 * Unknown {@code REBYTE_*} environment variables are only warned about: the environment is shared
 * with other tools (our own CI sets {@code REBYTE_JDK25}).
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /**
   * Loads and validates the configuration.
   *
   * @param agentArgs the {@code -javaagent:jar=...} argument, may be {@code null}
   * @param systemProperties the JVM's system properties (only {@code rebyte.*} are read)
   * @param environment the process environment (only {@code REBYTE_*} are read)
   * @param warnings receives lines for suspicious but harmless input
   * @throws ConfigException listing every problem found, one line each
   */
  public static AgentConfig load(String agentArgs, Map<String, String> systemProperties,
      Map<String, String> environment, List<String> warnings) throws ConfigException {
    List<String> errors = new ArrayList<>();
    ConfigSource argument = parseArgument(agentArgs, errors);
    ConfigSource properties = readSystemProperties(systemProperties, errors);
    ConfigSource env = readEnvironment(environment, warnings);
    List<ConfigSource> sources = new ArrayList<>(Arrays.asList(argument, properties, env));
    for (ConfigSource s : sources) {
      if (s.has(ConfigKey.CONFIG)) {
        sources.add(readFile(s.get(ConfigKey.CONFIG), s.describe(ConfigKey.CONFIG), errors));
        break;
      }
    }
    return ConfigReader.read(sources, errors);
  }

  static ConfigSource parseArgument(String args, List<String> errors) {
    EnumMap<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
    if (args != null) {
      for (String item : args.split(";")) {
        putItem(item, "agent argument", values, errors);
      }
    }
    return new ConfigSource("agent argument", values);
  }

  private static ConfigSource readSystemProperties(Map<String, String> props, List<String> errors) {
    EnumMap<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
    for (Map.Entry<String, String> e : props.entrySet()) {
      if (!e.getKey().startsWith(ConfigKey.PREFIX)) {
        continue;
      }
      ConfigKey key = ConfigKey.byName(e.getKey());
      if (key == null) {
        errors.add("unknown key " + e.getKey() + "=" + e.getValue() + " (system property); known keys: "
            + knownKeys());
      } else {
        values.put(key, e.getValue());
      }
    }
    return new ConfigSource("system property", values);
  }

  private static ConfigSource readEnvironment(Map<String, String> env, List<String> warnings) {
    EnumMap<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (!e.getKey().startsWith(ConfigKey.ENV_PREFIX)) {
        continue;
      }
      ConfigKey key = ConfigKey.byEnvName(e.getKey());
      if (key == null) {
        warnings.add("ignoring environment variable " + e.getKey() + ": not a rebyte key");
      } else {
        values.put(key, e.getValue());
      }
    }
    return new ConfigSource("environment", values);
  }

  static ConfigSource readFile(String pathText, String origin, List<String> errors) {
    EnumMap<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
    Path path = Paths.get(pathText.trim());
    String description = "file " + path;
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      errors.add(ConfigKey.CONFIG.key() + "=" + pathText + " (" + origin + "): cannot read the file ("
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
      return new ConfigSource(description, values);
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
        continue;
      }
      putItem(line, description + " line " + (i + 1), values, errors);
    }
    String nested = values.remove(ConfigKey.CONFIG);
    if (nested != null) { // the message names the value, like every other config error
      errors.add(ConfigKey.CONFIG.key() + "=" + nested + " (" + description + "): a config file cannot name another one");
    }
    return new ConfigSource(description, values);
  }

  private static void putItem(String rawItem, String where, Map<ConfigKey, String> values,
      List<String> errors) {
    String item = rawItem.trim();
    if (item.isEmpty()) {
      return;
    }
    int eq = separator(item);
    if (eq <= 0) {
      errors.add("'" + item + "' (" + where + ") is not key=value");
      return;
    }
    String name = item.substring(0, eq).trim();
    String value = item.substring(eq + 1).trim();
    ConfigKey key = ConfigKey.byName(name);
    if (key == null) {
      errors.add("unknown key " + name + "=" + value + " (" + where + "); known keys: " + knownKeys());
      return;
    }
    String previous = values.putIfAbsent(key, value);
    if (previous != null) {
      errors.add(key.key() + " given twice (" + where + "): '" + previous + "' and '" + value + "'");
    }
  }

  /** {@code key=value}, or {@code key: value} as in properties files when there is no '='. */
  private static int separator(String item) {
    int eq = item.indexOf('=');
    return eq >= 0 ? eq : item.indexOf(':');
  }

  static String knownKeys() {
    StringBuilder b = new StringBuilder();
    for (ConfigKey k : ConfigKey.values()) {
      b.append(b.length() == 0 ? "" : ", ").append(k.key());
    }
    return b.toString();
  }

  static Map<ConfigKey, String> merge(List<ConfigSource> sources, Map<ConfigKey, String> origins) {
    Map<ConfigKey, String> merged = new EnumMap<>(ConfigKey.class);
    for (ConfigKey key : ConfigKey.values()) {
      for (ConfigSource s : sources) {
        if (s.has(key)) {
          merged.put(key, s.get(key));
          origins.put(key, s.describe(key));
          break;
        }
      }
    }
    return merged;
  }
}
