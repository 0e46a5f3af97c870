package dev.rebyte.agent.config;

import dev.rebyte.runtime.LeakDetection;
import dev.rebyte.runtime.PoolConfig;
import java.time.Duration;
import java.util.Locale;

/**
 * Every key the agent reads: its name, its default and its user-facing definition (what it does,
 * the values it takes, the default as users read it). {@link ConfigReference} renders these into
 * {@code docs/configuration.md}, and {@code ConfigReferenceTest} fails when that file differs, so the
 * reference cannot drift from this enum.
 *
 * <p>Defaults that are values are rendered from the {@code DEFAULT_*} constants below (the one place
 * for each); the others ({@code 1/16 of -Xmx}, "none") are text that a test checks against what the
 * loader gives when nothing is set. Descriptions are Markdown, one paragraph each.
 */
public enum ConfigKey {
  INCLUDE("include", "class selectors, comma-separated", "none: required unless `mode=off`",
      "The classes whose `new byte[n]` sites the agent analyses and may rewrite. A selector is"
      + " `com.acme.io` (that package and its sub-packages, or the class of that name with its nested"
      + " classes), `com.acme.*.codec` (`*` alone is exactly one segment), `com.acme.**.Frame*` (`**`"
      + " is any number of segments, also none; `*` inside a segment is any characters of that"
      + " segment) or `com.acme.io.Copier#copy` (one method, every overload, of the classes before"
      + " `#`). Whatever the selectors say, the agent never changes its own classes, the JDK's"
      + " (`java.`, `javax.`, `jdk.`, `sun.`, `com.sun.`), ByteBuddy's (`net.bytebuddy.`), hidden"
      + " classes, lambdas and generated proxies (names with `$$`, `$Proxy` or `$ByteBuddy$`). An empty"
      + " list is an error unless `mode=off`."),
  EXCLUDE("exclude", "class selectors, comma-separated", "none",
      "Classes (or, with `#`, single methods) taken out of `rebyte.include`, in the same selector"
      + " syntax; an exclude wins over any include. A class excluded whole is never transformed; a"
      + " method selector leaves just that method alone."),
  MIN_SIZE("min-size", Values.SIZE, Values.FROM_CONSTANT,
      "The smallest array length the pool serves: below a few KiB, allocating is cheaper than any"
      + " pool. A site whose length is a constant below it is left as it is (`BELOW_MIN_SIZE` in the"
      + " site report); a site whose length varies is rewritten, and each request below it gets a"
      + " plain `new byte[n]` at run time (counted as `result=bypass`). At least 1 byte, at most"
      + " `rebyte.max-size`."),
  MAX_SIZE("max-size", Values.SIZE, Values.FROM_CONSTANT,
      "The largest array length the pool serves; a longer request gets a plain `new byte[n]` at run"
      + " time (counted as `result=bypass`), so `OutOfMemoryError` behaves as without the agent. At"
      + " most " + ConfigReader.MAX_ARRAY + " bytes, the largest array the JVM allocates."),
  POOL_MAX_BYTES("pool.max-bytes", Values.SIZE, "1/16 of the maximum heap (`-Xmx`)",
      "The bound on the bytes the pool keeps for reuse (arrays lent out do not count). Each size"
      + " class keeps at most a quarter of it, or one array of the class's largest length when that is"
      + " more. An array given back that would cross a bound is left to the garbage collector"
      + " (`rebyte.pool.evictions` with `reason=bound`); `0` keeps nothing. Whatever the bound, the"
      + " pool drops half its arrays when a garbage collection leaves the old generation nearly full"
      + " (`reason=pressure`)."),
  POOL_IDLE_TIMEOUT("pool.idle-timeout", Values.DURATION,
      Values.FROM_CONSTANT,
      "An array that has stayed in the pool this long since it was given back is dropped"
      + " (`rebyte.pool.evictions` with `reason=idle`) by a background thread, so a burst does not pin"
      + " its memory for good."),
  TRUST("trust", Values.METHODS, "none",
      "Methods to treat as neither keeping nor returning a `byte[]` they are given, on top of the"
      + " built-in list of JDK methods (stream `read` and `write`, `System.arraycopy`, digests, ...): a"
      + " site whose array is passed to one can still be pooled. An entry is `class#method` or"
      + " `class#method(descriptor)`: a dotted class name (`$` before a nested class), a method name"
      + " (`<init>` for a constructor) and optionally a JVM descriptor such as `([BII)I`; without one,"
      + " every overload matches. A call matches by the class named in the call instruction, not by the"
      + " class that runs: `com.acme.MyStream#read` covers `myStream.read(b)`, not a call through"
      + " `InputStream`. Trusting a method that does keep the array lets two borrowers share it: list"
      + " only methods you have read."),
  DISTRUST("distrust", Values.METHODS, "none",
      "Methods to treat as keeping a `byte[]` they are given even when the built-in list or"
      + " `rebyte.trust` trusts them; distrust wins. Same entries as `rebyte.trust`. A site whose array"
      + " is passed to one is rejected (`PASSED_TO_DISTRUSTED_METHOD`), and the call is not followed"
      + " into the method's class file either."),
  MODE("mode", oneOf(AgentMode.values()), Values.FROM_CONSTANT,
      "What the agent does with the selected classes. `rewrite`: proven sites borrow from the pool and"
      + " give the array back. `observe`: the same analysis, but each proven site only counts, in the"
      + " report and the metrics, what it would have borrowed, and then runs its unchanged `new"
      + " byte[n]`. `off`: nothing is installed (no `rebyte.include` needed); given to `attach`, it"
      + " removes the agent loaded earlier and restores the original classes."),
  ROUNDED("rounded", Values.BOOLEAN, Values.FROM_CONSTANT,
      "Whether a site with a variable length (`new byte[len]`) may take any pooled array of its size"
      + " class, up to 25% longer than asked, so it hits even when no array of exactly that length is"
      + " pooled. Only where the program cannot tell: it never looks at the capacity, or the rewrite"
      + " bounds every such use by the requested length (`b.length` becomes `n`, `in.read(b)` becomes"
      + " `in.read(b, 0, n)`, `new String(b)` becomes `new String(b, 0, n)`, and an index at or past"
      + " `n` still throws `ArrayIndexOutOfBoundsException`). With `false` every site gets an array of"
      + " exactly its length."),
  OWNERS("owners", "`true`, `false` (any case) or class selectors",
      Values.FROM_CONSTANT,
      "Owner-scoped buffers: a `byte[]` kept in a private field of an object (a stream, a codec) and"
      + " done with when that object is closed. With `false` they are found and reported"
      + " (`OWNERS_DISABLED`) but left alone; `true` pools them in every selected class; class"
      + " selectors, as in `rebyte.include`, pool them in the selected classes those name. A field is"
      + " pooled only when the analysis proves it belongs to its object (private, only ever given fresh"
      + " arrays of the class, no array from it leaves the object) and the class declares `close()` and"
      + " is `Closeable` or `AutoCloseable`, or declares a method of `rebyte.owner.release`; the array"
      + " goes back at the end of that method and the field becomes `null`. Classes selected only for"
      + " some methods (`Class#method`) are never changed this way. Off by default because the analysis"
      + " cannot see one thread still using an object's buffer while another thread closes it."),
  OWNER_RELEASE("owner.release", "`class#method` entries, comma-separated", "none",
      "Methods, besides `close()`, after which an object's owner-scoped buffer is given back (see"
      + " `rebyte.owners`): a dotted class name without wildcards, `#` and a method name, without a"
      + " descriptor (every overload), e.g. `com.acme.Codec#end,com.acme.Frame#free`."),
  REPORT("report", Values.PATH, "none: the summary line only",
      "Where the JSON site report goes: every examined site with its decision, reason and counters. A"
      + " text table is written beside it (`r.json` gives `r.txt`; any other name gets `.txt`"
      + " appended). Both are rewritten while the application runs, when they changed, and once more at"
      + " exit, through a temporary file so readers never see half a report. Missing directories are"
      + " created; the path must not be a directory, and its nearest existing directory must be"
      + " writable."),
  HTTP("http", "`[host:]port`", "none: no endpoint",
      "Serves the live dashboard at `/`, Prometheus text at `/metrics` and a JSON snapshot at"
      + " `/api/stats` on this address. The host defaults to `127.0.0.1` (this machine only); `0.0.0.0`"
      + " listens on every interface; an IPv6 host goes in brackets (`[::1]:9404`). The port is 1 to"
      + " 65535. There is no access control. If the endpoint cannot start (the port is taken), one line"
      + " says so and the application runs on."),
  LEAK_DETECTION("leak-detection", oneOf(LeakDetection.values()),
      Values.FROM_CONSTANT,
      "How closely borrowed arrays are watched for leaks. A leak is a borrowed array that the garbage"
      + " collector reclaims before it was given back: it costs the pool a reuse, not memory, and is"
      + " counted in `rebyte.leaks` with its site. `disabled`: no tracking. `sampled`: one acquire in"
      + " 128 is tracked, weakly. `paranoid`: every acquire is tracked, with the stack that acquired it;"
      + " for tests and debugging."),
  STRICT("strict", Values.BOOLEAN, Values.FROM_CONSTANT,
      "What a configuration error does. With `false`, each error is printed (`[rebyte] config error:"
      + " ...`), the agent installs nothing and the application runs unchanged. With `true`, the JVM"
      + " prints the errors and exits with status 1 before the application starts; on `attach`, the"
      + " attach fails and the running JVM is left alone. It takes effect only when its own value is"
      + " valid."),
  CONFIG("config", Values.PATH, "none",
      "A properties file with more keys, read after the other sources (lowest precedence). It is named"
      + " by the agent argument, `-Drebyte.config` or `REBYTE_CONFIG`; when several name one, only the"
      + " first in precedence order is read. A relative path is resolved against the JVM's working"
      + " directory. The file cannot name another one. Its format is under \"Where options come"
      + " from\".");

  /** The value descriptions several keys share (a nested class: enum constants cannot read ours). */
  private static final class Values {
    static final String SIZE = "size: bytes, or a number with `k`, `m` or `g` (times 1024; any case;"
        + " optional `b`): `8192`, `4k`, `16m`";
    static final String DURATION = "duration: a number with `ms`, `s`, `m` or `h` (`500ms`, `30s`,"
        + " `5m`); a plain number is seconds; at least `1ms`";
    static final String BOOLEAN = "`true` or `false`, any case";
    static final String METHODS = "method entries, comma-separated: `com.acme.Codec#decode([BII)I`";
    static final String PATH = "file path";
    /** In place of a default text: {@link ConfigKey#defaultText} renders the key's constant. */
    static final String FROM_CONSTANT = null;
  }

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
  private final String accepts;
  private final String defaultNote;
  private final String description;

  /**
   * @param accepts what the key takes, one line of Markdown
   * @param defaultNote the default as text ("none", "1/16 of ..."), or {@link Values#FROM_CONSTANT}
   *     when the default is a value: the enum's constants are built before its static fields, so
   *     {@link #defaultText} renders that constant when asked
   * @param description what the key does, one paragraph of Markdown
   */
  ConfigKey(String shortName, String accepts, String defaultNote, String description) {
    this.shortName = shortName;
    this.accepts = accepts;
    this.defaultNote = defaultNote;
    this.description = description;
  }

  /** The full name, e.g. {@code rebyte.pool.max-bytes}. */
  public String key() {
    return PREFIX + shortName;
  }

  /** What the key takes, one line of Markdown: {@code size: bytes, or ...}. */
  public String accepts() {
    return accepts;
  }

  /**
   * The default as users read it, Markdown: rendered from the {@code DEFAULT_*} constant where the
   * default is a value ({@code `4k`}), else the key's text ({@code 1/16 of the maximum heap (`-Xmx`)}).
   */
  public String defaultText() {
    switch (this) {
      case MIN_SIZE:
        return code(Units.formatSize(DEFAULT_MIN_SIZE));
      case MAX_SIZE:
        return code(Units.formatSize(DEFAULT_MAX_SIZE));
      case POOL_IDLE_TIMEOUT:
        return code(Units.formatDuration(DEFAULT_POOL_IDLE_TIMEOUT));
      case MODE:
        return code(lower(DEFAULT_MODE));
      case ROUNDED:
        return code(String.valueOf(DEFAULT_ROUNDED));
      case OWNERS:
        return code(DEFAULT_OWNERS.toString());
      case LEAK_DETECTION:
        return code(lower(DEFAULT_LEAK_DETECTION));
      case STRICT:
        return code(String.valueOf(DEFAULT_STRICT));
      default:
        return defaultNote;
    }
  }

  /** What the key does, one paragraph of Markdown. */
  public String description() {
    return description;
  }

  /** The environment variable, e.g. {@code REBYTE_POOL_MAX_BYTES}. */
  public String envName() {
    return toEnvName(key());
  }

  static String toEnvName(String key) {
    return key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  private static String code(String value) {
    return "`" + value + "`";
  }

  private static String lower(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  /** {@code `rewrite`, `observe` or `off`, any case}: the values a choice key takes. */
  private static String oneOf(Enum<?>[] constants) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < constants.length; i++) {
      b.append(i == 0 ? "" : i == constants.length - 1 ? " or " : ", ").append(code(lower(constants[i])));
    }
    return b.append(", any case").toString();
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
