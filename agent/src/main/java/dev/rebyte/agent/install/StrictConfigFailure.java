package dev.rebyte.agent.install;

/**
 * Thrown out of premain only when the configuration is invalid and {@code rebyte.strict=true}: the
 * one case where the agent stops the application from starting. {@code RebyteAgent} recognises it
 * by name and lets it through.
 */
public final class StrictConfigFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StrictConfigFailure(String message) {
    super(message, null, false, false);
  }
}
