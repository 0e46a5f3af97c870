package dev.rebyte.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in-process: dispatch, help, exit codes and one-line errors with a usage hint. */
class CliTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String[] errLines() {
    return err.toString(StandardCharsets.UTF_8).split("\\R");
  }

  @Test
  void noArguments_printsOverviewAsUsageError() {
    assertEquals(2, run());
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("Commands:"));
  }

  @Test
  void help_overallAndPerCommand_listExitCodes() {
    assertEquals(0, run("--help"));
    assertTrue(out().contains("scan") && out().contains("advise") && out().contains("attach"), out());
    assertTrue(out().contains("  2  usage error") && out().contains("  3  attach"), out());
    out.reset();
    assertEquals(0, run("help", "advise"));
    assertTrue(out().startsWith("usage: java -jar rebyte-agent.jar advise <recording.jfr>"), out());
    out.reset();
    assertEquals(0, run("attach", "-h"));
    assertTrue(out().contains("JEP 451") && out().contains("-XX:+EnableDynamicAgentLoading"), out());
  }

  @Test
  void unknownCommand_isUsageError() {
    assertEquals(2, run("scna"));
    assertEquals("rebyte: unknown command 'scna'", errLines()[0]);
    assertTrue(errLines()[1].startsWith("usage: "));
  }

  @Test
  void scan_badArguments_oneLinePlusUsageHint() {
    assertEquals(2, run("scan"));
    assertEquals("rebyte: scan: no input: give a jar, a directory or a class path", errLines()[0]);
    assertTrue(errLines()[1].endsWith("(try 'java -jar rebyte-agent.jar scan --help')"), errLines()[1]);
    assertEquals(2, errLines().length);
    err.reset();
    assertEquals(2, run("scan", "--include", "com..acme", dir.toString()));
    assertTrue(errLines()[0].startsWith("rebyte: scan: invalid settings: rebyte.include=com..acme (command line): malformed selector"),
        errLines()[0]);
  }

  @Test
  void scan_emptyDirectory_scansNothingAndSucceeds() {
    assertEquals(0, run("scan", dir.toString()));
    assertTrue(out().endsWith("scanned 0 classes (0 selected) in 1 input: would rewrite 0 sites in 0 classes,"
        + " rejected 0, skipped 0, failed classes 0\n"), out());
  }

  @Test
  void advise_badArguments() throws Exception {
    assertEquals(2, run("advise"));
    assertEquals("rebyte: advise: no recording: give a .jfr file", errLines()[0]);
    err.reset();
    Path notJfr = Files.writeString(dir.resolve("x.jfr"), "not a recording");
    assertEquals(2, run("advise", notJfr.toString(), "--top", "0"));
    assertEquals("rebyte: advise: --top needs a positive number, not '0'", errLines()[0]);
    err.reset();
    assertEquals(2, run("advise", notJfr.toString(), "extra.jar"));
    assertTrue(errLines()[0].startsWith("rebyte: advise: unexpected argument 'extra.jar'"), errLines()[0]);
    err.reset();
    assertEquals(2, run("advise", notJfr.toString()));
    assertTrue(errLines()[0].startsWith("rebyte: advise: cannot read " + notJfr + " as a JFR recording"), errLines()[0]);
  }

  @Test
  void attach_badPid_isUsageError() {
    assertEquals(2, run("attach", "12x"));
    assertEquals("rebyte: attach: '12x' is not a process id", errLines()[0]);
    err.reset();
    assertEquals(2, run("attach"));
    assertEquals("rebyte: attach: no process id", errLines()[0]);
    err.reset();
    assertEquals(2, run("attach", String.valueOf(ProcessHandle.current().pid())));
    assertTrue(errLines()[0].endsWith("is this command itself"), errLines()[0]);
  }
}
