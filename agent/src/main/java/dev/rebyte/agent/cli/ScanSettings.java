package dev.rebyte.agent.cli;

import dev.rebyte.agent.config.AgentConfig;
import dev.rebyte.agent.config.ConfigException;
import dev.rebyte.agent.config.ConfigLoader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the agent's own {@link AgentConfig} from command-line options, through the agent's loader,
 * so the same keys, sources and validation apply: the options play the agent argument (highest
 * precedence), then {@code -Drebyte.*}, {@code REBYTE_*} and the {@code --config} file.
 *
 * <p>One difference: a scan is read-only, so when no source names {@code rebyte.include}, it selects
 * every class ({@code include=**}) instead of refusing as the agent does.
 */
final class ScanSettings {
  static final String EVERYTHING = "**";

  private ScanSettings() {}

  /**
   * @param include selectors or null; @param exclude selectors or null; @param configFile or null;
   * @param minSize or null
   * @throws UsageException listing the configuration errors (one line)
   */
  static AgentConfig load(String include, String exclude, String configFile, String minSize,
      List<String> warnings) throws UsageException {
    List<String> items = new ArrayList<>();
    add(items, "include", include);
    add(items, "exclude", exclude);
    add(items, "config", configFile);
    add(items, "min-size", minSize);
    // First pass with mode=off, which validates everything but does not insist on an include:
    // it tells whether any source names one.
    List<String> probe = new ArrayList<>(items);
    probe.add("mode=off");
    AgentConfig probed = load(String.join(";", probe), new ArrayList<>());
    if (probed.selector().isEmpty()) {
      items.add("include=" + EVERYTHING);
    }
    return load(String.join(";", items), warnings);
  }

  private static void add(List<String> items, String key, String value) throws UsageException {
    if (value == null) {
      return;
    }
    if (value.indexOf(';') >= 0) {
      throw new UsageException("'" + value + "' contains ';', which the agent argument syntax cannot carry");
    }
    items.add(key + "=" + value);
  }

  private static AgentConfig load(String argument, List<String> warnings) throws UsageException {
    try {
      return ConfigLoader.load(argument, systemProperties(), System.getenv(), warnings);
    } catch (ConfigException e) {
      throw new UsageException("invalid settings: " + String.join("; ", e.errors())
          .replace("(agent argument)", "(command line)"));
    }
  }

  private static Map<String, String> systemProperties() {
    Map<String, String> out = new HashMap<>();
    for (String name : System.getProperties().stringPropertyNames()) {
      out.put(name, System.getProperty(name));
    }
    return out;
  }
}
