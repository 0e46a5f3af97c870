package dev.rebyte.runtime.micrometer;

/**
 * Every meter {@link RebyteMetrics} registers, with its type, unit, tags and meaning: the one list
 * of names users see (DESIGN "Names users see"), like Netty's {@code NettyMeters}.
 *
 * <p>Names are Micrometer dot-case; Prometheus (any Micrometer 1.x) appends the base unit and
 * {@code _total} for counters, shown in {@link #prometheusName()}. Counts of buffers carry no base
 * unit, so they read {@code rebyte_pool_retained_buffers}, not {@code ..._buffers_buffers}.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>meter</th><th>type</th><th>tags</th></tr>
 *   <tr><td>rebyte.pool.acquires</td><td>counter</td><td>result=hit|miss|bypass, size.class (the class's largest length in bytes; none for bypass; previous for pools an earlier Rebyte.configure replaced)</td></tr>
 *   <tr><td>rebyte.pool.releases</td><td>counter</td><td>result=pooled|dropped|rejected</td></tr>
 *   <tr><td>rebyte.pool.retained</td><td>gauge, bytes</td><td></td></tr>
 *   <tr><td>rebyte.pool.max</td><td>gauge, bytes</td><td></td></tr>
 *   <tr><td>rebyte.pool.retained.buffers</td><td>gauge</td><td></td></tr>
 *   <tr><td>rebyte.pool.evictions</td><td>counter</td><td>reason=idle|pressure|bound</td></tr>
 *   <tr><td>rebyte.bytes.saved</td><td>counter, bytes</td><td></td></tr>
 *   <tr><td>rebyte.buffers.outstanding</td><td>gauge</td><td></td></tr>
 *   <tr><td>rebyte.leaks</td><td>counter</td><td>kind=site|lease</td></tr>
 *   <tr><td>rebyte.sites</td><td>gauge</td><td>decision=pooled|observed|rejected|skipped</td></tr>
 *   <tr><td>rebyte.site.acquires</td><td>counter, per site on request</td><td>site, result=hit|miss|bypass</td></tr>
 *   <tr><td>rebyte.site.bytes.saved</td><td>counter, bytes, per site on request</td><td>site</td></tr>
 *   <tr><td>rebyte.site.leaks</td><td>counter, per site on request</td><td>site</td></tr>
 * </table>
 *
 * <p>Summed over {@code size.class}, {@code rebyte.pool.acquires} equals the process totals (JMX
 * {@code Hits}, {@code Misses}, {@code Bypasses}); the series of one class start over if the pool is
 * reconfigured, and {@code size.class="previous"} then carries what earlier pools served.
 *
 * <p>Overlap, on purpose: a release refused because a bound was reached counts both as
 * {@code rebyte.pool.releases{result=dropped}} and as {@code rebyte.pool.evictions{reason=bound}}.
 * Per-site meters have names of their own (not a {@code site} tag on the pool meters) so that
 * summing a pool meter never counts a hit twice.
 */
public enum RebyteMeters {
  ACQUIRES("rebyte.pool.acquires", Type.COUNTER, null,
      "Acquires by outcome: hit (served from the pool), miss (allocated: the class was empty), bypass (size outside the pool)",
      "result", "size.class"),
  RELEASES("rebyte.pool.releases", Type.COUNTER, null,
      "Releases by outcome: pooled (retained), dropped (outside the classes, over a bound, contended), rejected (double release)",
      "result"),
  RETAINED("rebyte.pool.retained", Type.GAUGE, "bytes", "Bytes the pool retains now", ""),
  MAX("rebyte.pool.max", Type.GAUGE, "bytes", "The bound on retained bytes (rebyte.pool.max-bytes)", ""),
  RETAINED_BUFFERS("rebyte.pool.retained.buffers", Type.GAUGE, null, "Arrays the pool retains now", ""),
  EVICTIONS("rebyte.pool.evictions", Type.COUNTER, null,
      "Arrays not kept: idle (unused past the idle timeout), pressure (heap nearly full after a GC), bound (release refused at the bound; also counted as a dropped release)",
      "reason"),
  BYTES_SAVED("rebyte.bytes.saved", Type.COUNTER, "bytes", "Bytes not allocated thanks to hits", ""),
  OUTSTANDING("rebyte.buffers.outstanding", Type.GAUGE, null,
      "Arrays acquired and not released yet (includes leaked and never-releasing ones)", ""),
  LEAKS("rebyte.leaks", Type.COUNTER, null,
      "Tracked arrays (kind=site) or leases (kind=lease) collected without having been released", "kind"),
  SITES("rebyte.sites", Type.GAUGE, null, "Allocation sites by the agent's decision", "decision"),
  SITE_ACQUIRES("rebyte.site.acquires", Type.COUNTER, null, "Acquires of one site by outcome (per-site meters only)",
      "site", "result"),
  SITE_BYTES_SAVED("rebyte.site.bytes.saved", Type.COUNTER, "bytes",
      "Bytes not allocated thanks to hits at one site (per-site meters only)", "site"),
  SITE_LEAKS("rebyte.site.leaks", Type.COUNTER, null,
      "Arrays acquired at one site and collected without release (per-site meters only)", "site");

  /** The Micrometer meter type. */
  public enum Type {
    COUNTER,
    GAUGE
  }

  private final String meterName;
  private final Type type;
  private final String baseUnit;
  private final String description;
  private final String[] tagKeys;

  RebyteMeters(String name, Type type, String baseUnit, String description, String... tagKeys) {
    this.meterName = name;
    this.type = type;
    this.baseUnit = baseUnit;
    this.description = description;
    this.tagKeys = tagKeys.length == 1 && tagKeys[0].isEmpty() ? new String[0] : tagKeys;
  }

  /** The Micrometer name, e.g. {@code rebyte.pool.acquires}. */
  public String getName() {
    return meterName;
  }

  public Type getType() {
    return type;
  }

  /** {@code bytes}, or null for counts. */
  public String getBaseUnit() {
    return baseUnit;
  }

  public String getDescription() {
    return description;
  }

  /** The tag keys, in order. */
  public String[] getTagKeys() {
    return tagKeys.clone();
  }

  /** The series name in Prometheus, e.g. {@code rebyte_pool_acquires_total}. */
  public String prometheusName() {
    String n = meterName.replace('.', '_');
    if (baseUnit != null && !n.endsWith("_" + baseUnit)) {
      n += "_" + baseUnit;
    }
    return type == Type.COUNTER ? n + "_total" : n;
  }
}
