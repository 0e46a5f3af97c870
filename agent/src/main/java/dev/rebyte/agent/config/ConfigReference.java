package dev.rebyte.agent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Renders {@code docs/configuration.md}, the configuration reference, from the keys' own definitions
 * ({@link ConfigKey}) and from the loader itself: the example items and messages under "Where options
 * come from" are what {@link ConfigLoader} makes of them when the page is rendered, so neither the
 * keys, their defaults nor the messages can drift from the code.
 *
 * <p>{@code ConfigReferenceTest} fails when the committed file differs from {@link #render()}. To
 * regenerate it, from the repository root:
 *
 * <pre>
 * mvn -q -pl runtime,agent test -Dtest=ConfigReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -DconfigReference.write=true
 * </pre>
 */
final class ConfigReference {
  /** How to regenerate the page; printed at its top and in the test's failure message. */
  static final String REGENERATE =
      "mvn -q -pl runtime,agent test -Dtest=ConfigReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -DconfigReference.write=true";
  /** What the agent puts before each error line at start-up (AgentInstaller; seen in a real run). */
  private static final String ERROR_LINE = "[rebyte] config error: ";
  private static final String WARNING_LINE = "[rebyte] ";
  /** Prose is wrapped at this many columns; tables and code blocks are not. */
  private static final int WIDTH = 100;
  /** Words that Markdown would read as a list, heading or quote marker at the start of a line. */
  private static final Pattern OPENS_A_BLOCK = Pattern.compile("[-+*#>=].*|\\d+[.)].*");

  private ConfigReference() {}

  /** The whole page, Markdown, {@code \n} line ends. */
  static String render() {
    StringBuilder b = new StringBuilder();
    b.append("<!-- Generated from agent/src/main/java/dev/rebyte/agent/config/ConfigKey.java"
        + " by ConfigReference; do not edit.\n     Regenerate from the repository root with: " + REGENERATE
        + " -->\n\n");
    b.append("# Configuration reference\n\n");
    paragraph(b, "Every key the agent reads. Each can be given in the agent argument, as a system property,"
        + " as an environment variable or in a properties file (see [Where options come"
        + " from](#where-options-come-from)). The agent checks every key at start-up and prints the"
        + " configuration it runs with in one `[rebyte] config: ...` line.");
    b.append("| key | takes | default |\n|---|---|---|\n");
    for (ConfigKey k : ConfigKey.values()) {
      b.append("| [`").append(k.key()).append("`](#").append(anchor(k)).append(") | ").append(k.accepts())
          .append(" | ").append(k.defaultText()).append(" |\n");
    }
    b.append("\n## Keys\n\n");
    for (ConfigKey k : ConfigKey.values()) {
      b.append("### `").append(k.key()).append("`\n\n");
      paragraph(b, k.description());
      wrap(b, "- ", "Takes: " + k.accepts() + ".");
      wrap(b, "- ", "Default: " + k.defaultText() + ".");
      wrap(b, "- ", "Environment variable: `" + k.envName() + "`.");
      b.append('\n');
    }
    sources(b);
    b.setLength(b.length() - 1); // the last paragraph's blank line
    return b.toString();
  }

  /** GitHub's heading anchor: {@code ### `rebyte.pool.max-bytes`} is {@code #rebytepoolmax-bytes}. */
  static String anchor(ConfigKey k) {
    return k.key().replace(".", "");
  }

  private static void sources(StringBuilder b) {
    ConfigKey example = ConfigKey.POOL_MAX_BYTES;
    b.append("## Where options come from\n\n");
    paragraph(b, "Four sources, in this order of precedence: a key set by an earlier source wins over every"
        + " later one.");
    b.append("| source | form | example |\n|---|---|---|\n");
    b.append("| agent argument | `-javaagent:rebyte-agent.jar=key=value;key=value` |"
        + " `-javaagent:rebyte-agent.jar=\"include=com.acme;http=9404\"` |\n");
    b.append("| system property | `-D").append(ConfigKey.PREFIX).append("key=value` | `-D")
        .append(example.key()).append("=64m` |\n");
    b.append("| environment variable | `").append(ConfigKey.ENV_PREFIX).append("KEY=value` | `")
        .append(example.envName()).append("=64m` |\n");
    b.append("| properties file | one `key=value` a line, in the file `").append(ConfigKey.CONFIG.key())
        .append("` names | `pool.max-bytes=64m` |\n\n");

    b.append("### The agent argument\n\n");
    paragraph(b, "Items are separated by `;`; blank items are skipped. A value cannot contain `;` (there is"
        + " no escape), and a shell needs the argument quoted. Each item is split at its first `=`, or, when"
        + " it has none, at its first `:`; the rest of the item is the value, whatever it contains. Spaces"
        + " around the key and the value are trimmed. The `" + ConfigKey.PREFIX + "` prefix is optional."
        + " What the loader makes of some items:");
    b.append("| item | key | value |\n|---|---|---|\n");
    for (String item : new String[] {"http=127.0.0.1:9404", "http:127.0.0.1:9404", " rebyte.min-size = 8k ",
        "report:/tmp/run=1.json", "report=/tmp/run=1.json"}) {
      argumentRow(b, item);
    }
    b.append('\n');
    paragraph(b, "So a value that contains `=` needs the `=` form. An item with neither `=` nor `:`, a key"
        + " given twice in the argument (also once with and once without the prefix) and an unknown key are"
        + " errors:");
    errors(b, "include=com.acme;verbose", Collections.emptyMap(), Collections.emptyMap(), false);
    errors(b, "include=com.acme;rebyte.include=com.acme.io", Collections.emptyMap(), Collections.emptyMap(),
        false);
    errors(b, "include=com.acme;colour=blue", Collections.emptyMap(), Collections.emptyMap(), true);
    paragraph(b, "The `attach` command passes its arguments as this argument (several words joined with"
        + " `;`); `scan` and `advise` read the same sources, with their options (`--include`, `--exclude`,"
        + " `--config`, `--min-size`) in place of the agent argument.");

    b.append("### System properties\n\n");
    paragraph(b, "Only names that start with `" + ConfigKey.PREFIX + "` are read, and there the prefix is"
        + " required. An unknown `" + ConfigKey.PREFIX + "` name is an error:");
    errors(b, "include=com.acme", Collections.singletonMap("rebyte.colour", "blue"), Collections.emptyMap(),
        false);

    b.append("### Environment variables\n\n");
    paragraph(b, "The name is the key's full name in upper case, with `.` and `-` replaced by `_`: `"
        + example.key() + "` is `" + example.envName() + "`. Only names that start with `"
        + ConfigKey.ENV_PREFIX + "` are read. Other tools share that prefix, so an unknown `"
        + ConfigKey.ENV_PREFIX + "` variable is not an error: the agent prints a line and ignores it."
        + " Check the spelling when a key set this way seems to have no effect:");
    errors(b, "include=com.acme", Collections.emptyMap(),
        Collections.singletonMap("REBYTE_INCLUDES", "com.acme"), false);

    b.append("### The properties file\n\n");
    paragraph(b, "`" + ConfigKey.CONFIG.key() + "=PATH` (from the argument, a system property or the"
        + " environment) names it. It is read as UTF-8, one item a line, split and trimmed like an argument"
        + " item (`key=value` or `key: value`, the prefix optional). Blank lines and lines that start with"
        + " `#` or `!` are skipped. It is not read with `java.util.Properties`: there are no `\\` escapes or"
        + " continuation lines, and `key value` without `=` or `:` is an error. Errors name the line"
        + " (`(file rebyte.properties line 3)`). A key given twice in the file, an unknown key and `"
        + ConfigKey.CONFIG.key() + "` inside the file are errors, and so is a file that cannot be read.");

    b.append("### When something is wrong\n\n");
    paragraph(b, "Every problem is reported, one line each, naming the key, the value and where it came from."
        + " Then, with `" + ConfigKey.STRICT.key() + "=false` (the default), the agent installs nothing and"
        + " the application runs unchanged; with `" + ConfigKey.STRICT.key() + "=true` the JVM exits with"
        + " status 1 (on `attach`, only the attach fails). A key that no source sets has its default. The"
        + " same key in different sources is not an error: the earlier source wins.");
  }

  /** A paragraph wrapped at {@link #WIDTH} columns, then a blank line. */
  private static void paragraph(StringBuilder b, String text) {
    wrap(b, "", text);
    b.append('\n');
  }

  /**
   * Appends {@code text} in lines of at most {@link #WIDTH} columns (a longer word stays whole), the
   * first after {@code first}, the others indented as far. Never breaks before a word that would open
   * a list, a heading or a quote at the start of a line.
   */
  private static void wrap(StringBuilder b, String first, String text) {
    String indent = first.replaceAll(".", " ");
    StringBuilder line = new StringBuilder(first);
    boolean empty = true;
    for (String word : text.split(" ")) {
      boolean fits = line.length() + 1 + word.length() <= WIDTH;
      if (!empty && !fits && !OPENS_A_BLOCK.matcher(word).matches()) {
        b.append(line).append('\n');
        line.setLength(0);
        line.append(indent);
        empty = true;
      }
      line.append(empty ? "" : " ").append(word);
      empty = false;
    }
    b.append(line).append('\n');
  }

  /** One row of the item table: what {@link ConfigLoader#parseArgument} makes of the item. */
  private static void argumentRow(StringBuilder b, String item) {
    List<String> errors = new ArrayList<>();
    ConfigSource source = ConfigLoader.parseArgument(item, errors);
    b.append("| `").append(item.trim().equals(item) ? item : "\"" + item + "\"").append("` | ");
    if (!errors.isEmpty()) {
      b.append("error: `").append(shortened(errors.get(0))).append("` | |\n");
      return;
    }
    for (ConfigKey k : ConfigKey.values()) {
      if (source.has(k)) {
        b.append('`').append(k.key()).append("` | `").append(source.get(k)).append("` |\n");
      }
    }
  }

  /** The lines the agent prints for a configuration, as a code block. */
  private static void errors(StringBuilder b, String argument, Map<String, String> properties,
      Map<String, String> environment, boolean whole) {
    List<String> warnings = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    try {
      ConfigLoader.load(argument, properties, environment, warnings);
    } catch (ConfigException e) {
      for (String error : e.errors()) {
        lines.add(ERROR_LINE + (whole ? error : shortened(error)));
      }
    }
    for (String w : warnings) {
      lines.add(WARNING_LINE + w);
    }
    if (lines.isEmpty()) {
      throw new IllegalStateException("the example " + argument + " gives no message");
    }
    b.append("```\n").append(String.join("\n", lines)).append("\n```\n\n");
  }

  /** The list of known keys is shown once; elsewhere it is cut. */
  private static String shortened(String error) {
    int known = error.indexOf("; known keys: ");
    return known < 0 ? error : error.substring(0, known) + "; known keys: ...";
  }
}
