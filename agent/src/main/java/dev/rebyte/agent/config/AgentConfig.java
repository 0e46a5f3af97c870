package dev.rebyte.agent.config;

import dev.rebyte.agent.select.MethodPattern;
import dev.rebyte.agent.select.ClassSelector;
import dev.rebyte.runtime.LeakDetection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The validated, immutable configuration: every {@code rebyte.*} key read once, checked, and
 * given its default. Built by {@link ConfigLoader}; nothing else reads configuration.
 */
public final class AgentConfig {
  /** Largest array the JVM can allocate (the usual {@code Integer.MAX_VALUE - 8} head room). */
  static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private final AgentMode mode;
  private final boolean rounded;
  private final String owners;
  private final ClassSelector ownerSelector;
  private final List<String> ownerRelease;
  private final String include;
  private final String exclude;
  private final ClassSelector selector;
  private final int minSize;
  private final int maxSize;
  private final long poolMaxBytes;
  private final Duration idleTimeout;
  private final List<String> trust;
  private final List<String> distrust;
  private final Path report;
  private final HttpAddress http;
  private final LeakDetection leakDetection;
  private final boolean strict;
  private final Map<ConfigKey, String> origins;

  private AgentConfig(Validator v) {
    this.mode = v.mode;
    this.rounded = v.rounded;
    this.owners = v.owners;
    this.ownerSelector = v.owners.equals("false") || v.owners.equals("true") ? null
        : ClassSelector.compile(v.owners, "");
    this.ownerRelease = v.ownerRelease;
    this.include = v.text(ConfigKey.INCLUDE, "");
    this.exclude = v.text(ConfigKey.EXCLUDE, "");
    this.selector = ClassSelector.compile(include, exclude);
    this.minSize = (int) v.minSize;
    this.maxSize = (int) v.maxSize;
    this.poolMaxBytes = v.maxBytes;
    this.idleTimeout = v.idleTimeout;
    this.trust = v.trust;
    this.distrust = v.distrust;
    this.report = v.report;
    this.http = v.http;
    this.leakDetection = v.leakDetection;
    this.strict = v.strict;
    this.origins = Collections.unmodifiableMap(v.origins);
  }

  /** Validates merged sources; throws listing every error, else returns the configuration. */
  static AgentConfig validate(List<ConfigSource> sources, List<String> errors) throws ConfigException {
    Validator v = new Validator(sources, errors);
    v.run();
    if (!errors.isEmpty()) {
      throw new ConfigException(errors, v.strict);
    }
    return new AgentConfig(v);
  }

  public AgentMode mode() {
    return mode;
  }

  /** {@code rebyte.rounded}: variable-length sites may share their size class (default true). */
  public boolean rounded() {
    return rounded;
  }

  /**
   * {@code rebyte.owners}: whether owner-scoped buffers (array fields released when their owner
   * closes) are pooled in this class: {@code false} (default) for none, {@code true} for every
   * selected class, or a selector list.
   *
   * @param className dotted or internal binary name
   */
  public boolean ownersIn(String className) {
    return owners.equals("true")
        || (ownerSelector != null && ownerSelector.selectsClass(className.replace('/', '.')));
  }

  /** {@code rebyte.owner.release}: extra release methods, {@code com.acme.Codec#end}, besides {@code close()}. */
  public List<String> ownerRelease() {
    return ownerRelease;
  }

  public ClassSelector selector() {
    return selector;
  }

  public int minSize() {
    return minSize;
  }

  public int maxSize() {
    return maxSize;
  }

  public long poolMaxBytes() {
    return poolMaxBytes;
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** {@code rebyte.trust} entries as given ({@code Class#method(descriptor)}). */
  public List<String> trust() {
    return trust;
  }

  public List<String> distrust() {
    return distrust;
  }

  /** Where the JSON site report goes, or {@code null} for none. */
  public Path report() {
    return report;
  }

  /** The dashboard address, or {@code null}. Parsed and validated; no server in this build. */
  public HttpAddress http() {
    return http;
  }

  public LeakDetection leakDetection() {
    return leakDetection;
  }

  public boolean strict() {
    return strict;
  }

  /** Where a key's value came from, or {@code null} when it has its default. */
  public String origin(ConfigKey key) {
    return origins.get(key);
  }

  /** The effective configuration in one line (no prefix), sources of non-default values at the end. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    b.append("mode=").append(lower(mode.name()))
        .append(' ').append(selector)
        .append(" min-size=").append(minSize)
        .append(" max-size=").append(maxSize)
        .append(" rounded=").append(rounded)
        .append(" owners=").append(owners)
        .append(" owner.release=").append(ownerRelease.isEmpty() ? "-" : String.join(",", ownerRelease))
        .append(" pool.max-bytes=").append(poolMaxBytes)
        .append(" pool.idle-timeout=").append(idleTimeout.toMillis()).append("ms")
        .append(" trust=").append(trust.isEmpty() ? "-" : String.join(",", trust))
        .append(" distrust=").append(distrust.isEmpty() ? "-" : String.join(",", distrust))
        .append(" report=").append(report == null ? "-" : report.toString())
        .append(" http=").append(http == null ? "-" : http.toString())
        .append(" leak-detection=").append(lower(leakDetection.name()))
        .append(" strict=").append(strict);
    if (!origins.isEmpty()) {
      b.append(" (set by ");
      boolean first = true;
      for (Map.Entry<ConfigKey, String> e : origins.entrySet()) {
        b.append(first ? "" : ", ").append(e.getKey().key()).append(": ").append(e.getValue());
        first = false;
      }
      b.append(')');
    }
    return b.toString();
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /** Checks every key, collecting one line per problem. */
  private static final class Validator {
    private final List<String> errors;
    private final Map<ConfigKey, String> values;
    private final Map<ConfigKey, String> origins = new EnumMap<>(ConfigKey.class);

    AgentMode mode = AgentMode.REWRITE;
    boolean rounded = true;
    String owners = "false";
    List<String> ownerRelease = Collections.emptyList();
    long minSize = 4 * 1024;
    long maxSize = 16 * 1024 * 1024;
    long maxBytes = Runtime.getRuntime().maxMemory() / 16;
    Duration idleTimeout = Duration.ofSeconds(30);
    List<String> trust = Collections.emptyList();
    List<String> distrust = Collections.emptyList();
    Path report;
    HttpAddress http;
    LeakDetection leakDetection = LeakDetection.SAMPLED;
    boolean strict;

    Validator(List<ConfigSource> sources, List<String> errors) {
      this.errors = errors;
      this.values = ConfigLoader.merge(sources, origins);
    }

    void run() {
      strict = choice(ConfigKey.STRICT, "false", "true", "false").equals("true");
      String m = choice(ConfigKey.MODE, "rewrite", "rewrite", "observe", "off");
      mode = AgentMode.valueOf(m.toUpperCase(Locale.ROOT));
      rounded = choice(ConfigKey.ROUNDED, "true", "true", "false").equals("true");
      owners();
      ownerRelease = releaseMethods(ConfigKey.OWNER_RELEASE);
      boolean includeOk = selectors(ConfigKey.INCLUDE);
      selectors(ConfigKey.EXCLUDE);
      if (includeOk && mode != AgentMode.OFF && text(ConfigKey.INCLUDE, "").isEmpty()) {
        errors.add(ConfigKey.INCLUDE.key() + "=" + text(ConfigKey.INCLUDE, "") + " ("
            + origin(ConfigKey.INCLUDE) + "): empty, but mode=" + m
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
      String leak = choice(ConfigKey.LEAK_DETECTION, "sampled", "disabled", "sampled", "paranoid");
      leakDetection = LeakDetection.valueOf(leak.toUpperCase(Locale.ROOT));
    }

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

    private boolean selectors(ConfigKey key) {
      try {
        ClassSelector.validate(text(key, ""));
        return true;
      } catch (IllegalArgumentException e) {
        error(key, e.getMessage());
        return false;
      }
    }

    private boolean size(ConfigKey key, long limit, java.util.function.LongConsumer target) {
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
      String v = text(ConfigKey.OWNERS, "false");
      String lower = v.toLowerCase(Locale.ROOT);
      if (lower.equals("true") || lower.equals("false")) {
        owners = lower;
      } else if (v.isEmpty()) {
        error(ConfigKey.OWNERS, "empty; expected true, false or class selectors such as com.acme.io");
      } else if (selectors(ConfigKey.OWNERS)) {
        owners = v;
      }
    }

    /** {@code com.acme.Codec#end} entries: a class selector without wildcards, '#', a method name. */
    private List<String> releaseMethods(ConfigKey key) {
      String value = values.get(key);
      if (value == null || value.trim().isEmpty()) {
        return Collections.emptyList();
      }
      List<String> out = new java.util.ArrayList<>();
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
      List<String> out = new java.util.ArrayList<>();
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
}
