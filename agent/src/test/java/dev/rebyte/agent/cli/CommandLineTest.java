package dev.rebyte.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandLineTest {
  private static final Set<String> FLAGS = Set.of("--json");
  private static final Set<String> OPTIONS = Set.of("--include", "--top");

  private static CommandLine parse(String... args) throws UsageException {
    return CommandLine.parse(args, FLAGS, OPTIONS);
  }

  @Test
  void parse_optionsFlagsAndPositionalsInAnyOrder() throws Exception {
    CommandLine line = parse("a.jar", "--include", "com.acme", "--json", "--top=3", "b.jar");
    assertEquals(List.of("a.jar", "b.jar"), line.positionals());
    assertEquals("com.acme", line.single("--include"));
    assertEquals("3", line.single("--top"));
    assertTrue(line.has("--json"));
    assertNull(line.single("--missing"));
  }

  @Test
  void parse_repeatedOptionIsJoinedWithCommas() throws Exception {
    CommandLine line = parse("--include", "com.a", "--include=com.b");
    assertEquals("com.a,com.b", line.joined("--include"));
    assertEquals(List.of("com.a", "com.b"), line.all("--include"));
    UsageException e = assertThrows(UsageException.class, () -> line.single("--include"));
    assertEquals("option --include given 2 times", e.getMessage());
  }

  @Test
  void parse_doubleDashEndsOptions_andHelpIsAlwaysKnown() throws Exception {
    CommandLine line = parse("-h", "--", "--json", "-x");
    assertTrue(line.has("--help"));
    assertEquals(List.of("--json", "-x"), line.positionals());
  }

  @Test
  void parse_errorsAreOneLine() {
    assertEquals("unknown option --bogus", assertThrows(UsageException.class, () -> parse("--bogus")).getMessage());
    assertEquals("option --include needs a value", assertThrows(UsageException.class, () -> parse("--include")).getMessage());
    assertEquals("option --include needs a value",
        assertThrows(UsageException.class, () -> parse("--include", "--json")).getMessage());
    assertEquals("option --include needs a non-empty value",
        assertThrows(UsageException.class, () -> parse("--include=")).getMessage());
    assertEquals("option --json takes no value", assertThrows(UsageException.class, () -> parse("--json=yes")).getMessage());
  }
}
