package dev.rebyte.agent.config;

import dev.rebyte.agent.select.ClassSelector;
import dev.rebyte.agent.select.MethodPattern;
import dev.rebyte.runtime.LeakDetection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Reads the merged raw values of the sources into an {@link AgentConfig}: checks every key,
 * collecting one line per problem (key, value, source, why), and gives every key nobody set its
 * default from {@link ConfigKey}. Single use; {@link AgentConfig} copies the fields once all passed.
 */
final class ConfigReader {
  /** Largest array the JVM can allocate (the usual {@code Integer.MAX_VALUE - 8} head room). */
  static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private final List<String> errors;
  private final Map<ConfigKey, String> values;
  private final Map<ConfigKey, String> origins = new EnumMap<>(ConfigKey.class);

  AgentMode mode = ConfigKey.DEFAULT_MODE;
  boolean rounded = ConfigKey.DEFAULT_ROUNDED;
  OwnerScope owners = ConfigKey.DEFAULT_OWNERS;
  List<String> ownerRelease = Collections.emptyList();
  long minSize = ConfigKey.DEFAULT_MIN_SIZE;
  long maxSize = ConfigKey.DEFAULT_MAX_SIZE;
  long maxBytes = ConfigKey.DEFAULT_POOL_MAX_BYTES;
  Duration idleTimeout = ConfigKey.DEFAULT_POOL_IDLE_TIMEOUT;
  List<String> trust = Collections.emptyList();
  List<String> distrust = Collections.emptyList();
  Path report;
  HttpAddress http;
  LeakDetection leakDetection = ConfigKey.DEFAULT_LEAK_DETECTION;
  boolean strict = ConfigKey.DEFAULT_STRICT;

  private ConfigReader(List<ConfigSource> sources, List<String> errors) {
    this.errors = errors;
    this.values = ConfigLoader.merge(sources, origins);
  }

  /** Validates merged sources; throws listing every error, else returns the configuration. */
  static AgentConfig read(List<ConfigSource> sources, List<String> errors) throws ConfigException {
    ConfigReader r = new ConfigReader(sources, errors);
    r.run();
    if (!errors.isEmpty()) {
      throw new ConfigException(errors, r.strict);
    }
    return new AgentConfig(r);
  }

  /** Where each key set by some source came from (the others have their default). */
  Map<ConfigKey, String> origins() {
    return origins;
  }

  private void run() {
    strict = flag(ConfigKey.STRICT, strict);
    mode = choice(ConfigKey.MODE, mode);
    rounded = flag(ConfigKey.ROUNDED, rounded);
    owners();
    ownerRelease = releaseMethods(ConfigKey.OWNER_RELEASE);
    boolean includeOk = selectors(ConfigKey.INCLUDE);
    selectors(ConfigKey.EXCLUDE);
    if (includeOk && mode != AgentMode.OFF && text(ConfigKey.INCLUDE, "").isEmpty()) {
      errors.add(ConfigKey.INCLUDE.key() + "=" + text(ConfigKey.INCLUDE, "") + " ("
          + origin(ConfigKey.INCLUDE) + "): empty, but mode=" + lower(mode)
          + " needs at least one selector, e.g. include=com.acme.io");
    }
    boolean minOk = size(ConfigKey.MIN_SIZE, MAX_ARRAY, v -> minSize = v);
    boolean maxOk = size(ConfigKey.MAX_SIZE, MAX_ARRAY, v -> maxSize = v);
    if (minOk && maxOk && minSize > maxSize) {
      errors.add(ConfigKey.MIN_SIZE.key() + "=" + minSize + " (" + origin(ConfigKey.MIN_SIZE)
          + ") is above " + ConfigKey.MAX_SIZE.key() + "=" + maxSize + " ("
          + origin(ConfigKey.MAX_SIZE) + ")");
    }
    if (minOk && minSize == 0) {
      error(ConfigKey.MIN_SIZE, "must be at least 1 byte");
    }
    size(ConfigKey.POOL_MAX_BYTES, Long.MAX_VALUE, v -> maxBytes = v);
    if (values.containsKey(ConfigKey.POOL_IDLE_TIMEOUT)) {
      try {
        idleTimeout = Units.parseDuration(values.get(ConfigKey.POOL_IDLE_TIMEOUT));
      } catch (IllegalArgumentException e) {
        error(ConfigKey.POOL_IDLE_TIMEOUT, e.getMessage());
      }
    }
    trust = methodRefs(ConfigKey.TRUST);
    distrust = methodRefs(ConfigKey.DISTRUST);
    report();
    if (values.containsKey(ConfigKey.HTTP)) {
      try {
        http = HttpAddress.parse(values.get(ConfigKey.HTTP));
      } catch (IllegalArgumentException e) {
        error(ConfigKey.HTTP, e.getMessage());
      }
    }
    leakDetection = choice(ConfigKey.LEAK_DETECTION, leakDetection);
  }

  /** The trimmed value, or {@code fallback} when no source sets the key. */
  String text(ConfigKey key, String fallback) {
    String v = values.get(key);
    return v == null ? fallback : v.trim();
  }

  private String origin(ConfigKey key) {
    String o = origins.get(key);
    return o == null ? "not set" : o;
  }

  private void error(ConfigKey key, String why) {
    errors.add(key.key() + "=" + values.get(key) + " (" + origin(key) + "): " + why);
  }

  /** {@code true} or {@code false} in any case; the fallback when not set or not one of them. */
  private boolean flag(ConfigKey key, boolean fallback) {
    return choice(key, fallback ? "true" : "false", "true", "false").equals("true");
  }

  /** One of the enum's constants, lower case in any case, listed in their declaration order. */
  private <E extends Enum<E>> E choice(ConfigKey key, E fallback) {
    E[] constants = fallback.getDeclaringClass().getEnumConstants();
    String[] allowed = new String[constants.length];
    for (int i = 0; i < constants.length; i++) {
      allowed[i] = lower(constants[i]);
    }
    return Enum.valueOf(fallback.getDeclaringClass(),
        choice(key, lower(fallback), allowed).toUpperCase(Locale.ROOT));
  }

  private String choice(ConfigKey key, String fallback, String... allowed) {
    if (!values.containsKey(key)) {
      return fallback;
    }
    String v = text(key, "").toLowerCase(Locale.ROOT);
    for (String a : allowed) {
      if (a.equals(v)) {
        return a;
      }
    }
    error(key, "expected one of " + String.join(", ", allowed));
    return fallback;
  }

  private static String lower(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  private boolean selectors(ConfigKey key) {
    try {
      ClassSelector.validate(text(key, ""));
      return true;
    } catch (IllegalArgumentException e) {
      error(key, e.getMessage());
      return false;
    }
  }

  private boolean size(ConfigKey key, long limit, LongConsumer target) {
    if (!values.containsKey(key)) {
      return true;
    }
    try {
      long v = Units.parseSize(values.get(key));
      if (v > limit) {
        error(key, "too large (at most " + limit + " bytes)");
        return false;
      }
      target.accept(v);
      return true;
    } catch (IllegalArgumentException e) {
      error(key, e.getMessage());
      return false;
    }
  }

  private void owners() {
    String v = text(ConfigKey.OWNERS, owners.toString());
    String lower = v.toLowerCase(Locale.ROOT);
    if (lower.equals("true") || lower.equals("false")) {
      owners = lower.equals("true") ? OwnerScope.ALL : OwnerScope.NONE;
    } else if (v.isEmpty()) {
      error(ConfigKey.OWNERS, "empty; expected true, false or class selectors such as com.acme.io");
    } else if (selectors(ConfigKey.OWNERS)) {
      owners = OwnerScope.of(v);
    }
  }

  /** {@code com.acme.Codec#end} entries: a class selector without wildcards, '#', a method name. */
  private List<String> releaseMethods(ConfigKey key) {
    String value = values.get(key);
    if (value == null || value.trim().isEmpty()) {
      return Collections.emptyList();
    }
    List<String> out = new ArrayList<>();
    for (String raw : value.split(",", -1)) {
      String entry = raw.trim();
      int hash = entry.indexOf('#');
      String cls = hash < 0 ? "" : entry.substring(0, hash);
      String method = hash < 0 ? "" : entry.substring(hash + 1);
      if (hash <= 0 || !MethodPattern.isQualifiedName(cls) || !MethodPattern.isIdentifier(method)) {
        error(key, "'" + entry + "' is not Class#method, e.g. com.acme.Codec#end");
        return Collections.emptyList();
      }
      out.add(cls + "#" + method);
    }
    return Collections.unmodifiableList(out);
  }

  private List<String> methodRefs(ConfigKey key) {
    String value = values.get(key);
    if (value == null || value.trim().isEmpty()) {
      return Collections.emptyList();
    }
    List<String> out = new ArrayList<>();
    for (String raw : value.split(",", -1)) {
      try {
        out.add(MethodPattern.parse(raw).toString()); // the analysis's own parser: one grammar
      } catch (IllegalArgumentException e) {
        error(key, e.getMessage());
        return Collections.emptyList();
      }
    }
    return Collections.unmodifiableList(out);
  }

  private void report() {
    if (!values.containsKey(ConfigKey.REPORT)) {
      return;
    }
    String text = text(ConfigKey.REPORT, "");
    if (text.isEmpty()) {
      error(ConfigKey.REPORT, "empty path");
      return;
    }
    try {
      Path p = Paths.get(text).toAbsolutePath();
      if (Files.isDirectory(p)) {
        error(ConfigKey.REPORT, "is a directory; name a file such as " + p.resolve("rebyte-report.json"));
        return;
      }
      Path dir = p.getParent();
      while (dir != null && !Files.exists(dir)) {
        dir = dir.getParent();
      }
      if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
        error(ConfigKey.REPORT, "cannot be written (" + (dir == null ? "no parent" : dir + " is not a writable directory") + ")");
        return;
      }
      report = p;
    } catch (RuntimeException e) {
      error(ConfigKey.REPORT, "not a path (" + e.getMessage() + ")");
    }
  }
}
