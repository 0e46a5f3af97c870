package dev.rebyte.agent.config;

import dev.rebyte.agent.select.ClassSelector;
import dev.rebyte.runtime.LeakDetection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The validated, immutable configuration: every {@code rebyte.*} key read once, checked, and
 * given its default ({@link ConfigKey}). Built by {@link ConfigLoader} (the sources) and
 * {@link ConfigReader} (the checks); nothing else reads configuration.
 */
public final class AgentConfig {
  private final AgentMode mode;
  private final boolean rounded;
  private final OwnerScope owners;
  private final List<String> ownerRelease;
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

  /** Copies a reader that found no error. */
  AgentConfig(ConfigReader r) {
    this.mode = r.mode;
    this.rounded = r.rounded;
    this.owners = r.owners;
    this.ownerRelease = r.ownerRelease;
    this.selector = ClassSelector.compile(r.text(ConfigKey.INCLUDE, ""), r.text(ConfigKey.EXCLUDE, ""));
    this.minSize = (int) r.minSize;
    this.maxSize = (int) r.maxSize;
    this.poolMaxBytes = r.maxBytes;
    this.idleTimeout = r.idleTimeout;
    this.trust = r.trust;
    this.distrust = r.distrust;
    this.report = r.report;
    this.http = r.http;
    this.leakDetection = r.leakDetection;
    this.strict = r.strict;
    this.origins = Collections.unmodifiableMap(r.origins());
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
    return owners.includes(className);
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

  /** {@code rebyte.http}: the address of the dashboard and {@code /metrics}, or {@code null} for none. */
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
}
