package dev.rebyte.agent.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed arguments of one command. Grammar: {@code --flag}, {@code --option value},
 * {@code --option=value} (options may repeat; {@link #joined} joins them with commas), {@code --}
 * ends options, {@code -h} is {@code --help}; everything else is positional, in order.
 */
final class CommandLine {
  private final Map<String, List<String>> options;
  private final Set<String> flags;
  private final List<String> positionals;

  private CommandLine(Map<String, List<String>> options, Set<String> flags, List<String> positionals) {
    this.options = options;
    this.flags = flags;
    this.positionals = positionals;
  }

  /**
   * @param knownFlags flags without value, e.g. {@code --json} ({@code --help} is always known)
   * @param knownOptions options taking a value, e.g. {@code --include}
   * @throws UsageException for an unknown option, a flag given a value, or a missing value
   */
  static CommandLine parse(String[] args, Set<String> knownFlags, Set<String> knownOptions)
      throws UsageException {
    Map<String, List<String>> options = new LinkedHashMap<>();
    Set<String> flags = new LinkedHashSet<>();
    List<String> positionals = new ArrayList<>();
    boolean onlyPositionals = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (onlyPositionals || !arg.startsWith("-") || arg.equals("-")) {
        positionals.add(arg);
        continue;
      }
      if (arg.equals("--")) {
        onlyPositionals = true;
        continue;
      }
      if (arg.equals("-h") || arg.equals("--help")) {
        flags.add("--help");
        continue;
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg : arg.substring(0, eq);
      if (knownFlags.contains(name)) {
        if (eq >= 0) {
          throw new UsageException("option " + name + " takes no value");
        }
        flags.add(name);
      } else if (knownOptions.contains(name)) {
        String value;
        if (eq >= 0) {
          value = arg.substring(eq + 1);
        } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
          value = args[++i];
        } else {
          throw new UsageException("option " + name + " needs a value");
        }
        if (value.trim().isEmpty()) {
          throw new UsageException("option " + name + " needs a non-empty value");
        }
        options.computeIfAbsent(name, k -> new ArrayList<>()).add(value.trim());
      } else {
        throw new UsageException("unknown option " + name);
      }
    }
    return new CommandLine(options, Collections.unmodifiableSet(flags), Collections.unmodifiableList(positionals));
  }

  boolean has(String flag) {
    return flags.contains(flag);
  }

  /** The option's values, comma-joined when repeated ({@code --include a --include b} = {@code a,b}), or null. */
  String joined(String option) {
    List<String> values = options.get(option);
    return values == null ? null : String.join(",", values);
  }

  /** Every value given for an option, in order; empty when absent. */
  List<String> all(String option) {
    return options.getOrDefault(option, Collections.emptyList());
  }

  /** The single value of an option, or null; a repeated single-valued option is a usage error. */
  String single(String option) throws UsageException {
    List<String> values = options.get(option);
    if (values == null) {
      return null;
    }
    if (values.size() > 1) {
      throw new UsageException("option " + option + " given " + values.size() + " times");
    }
    return values.get(0);
  }

  List<String> positionals() {
    return positionals;
  }
}
