package dev.rebyte.agent.cli;

/** Exit statuses of every command, as printed by {@code --help}. */
enum ExitCode {
  /** The command did what was asked. */
  OK(0, "ok"),
  /**
   * The command ran and found a problem or failed: scan found classes the agent could not analyse
   * or rewrite, advise found no byte[] allocation events, the agent failed to load in the target.
   */
  FAILED(1, "the command ran and found a problem, or failed (the message says which)"),
  /** Bad arguments: unknown command or option, missing value, no such file, invalid setting. */
  USAGE(2, "usage error (bad command, option, value or file)"),
  /** attach only: no such process, attach disabled in the target, or no jdk.attach here. */
  ATTACH_UNSUPPORTED(3, "attach: cannot attach (no such JVM, attach disabled, or no jdk.attach module)");

  final int status;
  final String meaning;

  ExitCode(int status, String meaning) {
    this.status = status;
    this.meaning = meaning;
  }

  /** The table for {@code --help}. */
  static String table() {
    StringBuilder b = new StringBuilder("Exit status:\n");
    for (ExitCode c : values()) {
      b.append("  ").append(c.status).append("  ").append(c.meaning).append('\n');
    }
    return b.toString();
  }
}
