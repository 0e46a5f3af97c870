package dev.rebyte.agent.config;

import java.util.Collections;
import java.util.List;

/**
 * The configuration is invalid. Carries one line per problem, each naming the key, the value and
 * its source, and whether {@code rebyte.strict=true} asked for startup to stop.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<String> errors;
  private final boolean strict;

  ConfigException(List<String> errors, boolean strict) {
    super(String.join("; ", errors));
    this.errors = Collections.unmodifiableList(errors);
    this.strict = strict;
  }

  /** One line per problem, without the {@code [rebyte]} prefix. */
  public List<String> errors() {
    return errors;
  }

  /** Whether {@code rebyte.strict=true} was given (validly) by some source. */
  public boolean strict() {
    return strict;
  }
}
