package dev.rebyte.agent.cli;

/** A bad command line: printed as one line plus a usage hint, exit status 2. */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message, null, false, false);
  }
}
