package dev.rebyte.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rebyte.agent.decision.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The configuration reference cannot drift: {@code docs/configuration.md} is what
 * {@link ConfigReference} renders from {@link ConfigKey}, the defaults it shows are the ones the
 * loader applies, and the README's options table names exactly the keys.
 *
 * <p>When the first test fails, regenerate the page from the repository root with
 * {@code mvn -q -pl runtime,agent test -Dtest=ConfigReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -DconfigReference.write=true} (the test
 * writes the file before comparing) and commit it.
 */
class ConfigReferenceTest {
  /** The tests run in {@code agent/}. */
  private static final Path DOC = Paths.get("..", "docs", "configuration.md");
  private static final Path README = Paths.get("..", "README.md");
  private static final Pattern CODE = Pattern.compile("\\b[A-Z]+(?:_[A-Z0-9]+)+\\b");

  @Test
  void committedReference_isWhatTheGeneratorRenders() throws IOException {
    String rendered = ConfigReference.render();
    if (Boolean.getBoolean("configReference.write")) {
      Files.createDirectories(DOC.getParent());
      Files.write(DOC, rendered.getBytes(StandardCharsets.UTF_8));
    }
    String committed = Files.exists(DOC)
        ? new String(Files.readAllBytes(DOC), StandardCharsets.UTF_8).replace("\r\n", "\n") : "";
    if (!committed.equals(rendered)) {
      fail(DOC + " is not what ConfigReference renders from ConfigKey; "
          + firstDifference(committed, rendered) + "\nRegenerate it from the repository root with:\n  "
          + ConfigReference.REGENERATE);
    }
  }

  @Test
  void everyKey_hasADefinition() {
    for (ConfigKey k : ConfigKey.values()) {
      assertNotNull(k.defaultText(), k + ": a FROM_CONSTANT default without a case in defaultText()");
      for (String text : new String[] {k.accepts(), k.defaultText(), k.description()}) {
        assertFalse(text.trim().isEmpty(), k.key());
        assertFalse(text.contains("\n"), k.key() + ": one line, one paragraph");
        assertFalse(text.contains("|"), k.key() + ": '|' would break the table");
      }
    }
  }

  /** Typing the default as the page shows it gives the configuration nothing set gives. */
  @Test
  void valueDefaults_typedBackIn_changeNothing() throws ConfigException {
    String nothingSet = effective(load("include=com.acme"));
    int checked = 0;
    for (ConfigKey k : ConfigKey.values()) {
      String shown = k.defaultText();
      if (shown.matches("`[^`]+`")) {
        String item = k.key() + "=" + shown.substring(1, shown.length() - 1);
        assertEquals(nothingSet, effective(load("include=com.acme;" + item)), item);
        checked++;
      }
    }
    assertEquals(8, checked, "keys whose default is a value");
  }

  /** The defaults written as text are what the loader gives when no source sets the key. */
  @Test
  void textDefaults_areWhatTheLoaderGivesWhenNothingIsSet() throws ConfigException {
    AgentConfig c = load("include=com.acme");
    for (ConfigKey k : ConfigKey.values()) {
      if (k.defaultText().matches("`[^`]+`")) {
        continue;
      }
      switch (k) {
        case INCLUDE:
          assertTrue(k.defaultText().contains("required unless `mode=off`"));
          assertTrue(load("mode=off").selector().isEmpty());
          assertTrue(assertThrows(ConfigException.class, () -> load("")).getMessage()
              .contains("needs at least one selector"));
          break;
        case EXCLUDE:
          assertTrue(c.selector().toString().contains("exclude=-"), c.selector().toString());
          break;
        case POOL_MAX_BYTES:
          assertTrue(k.defaultText().startsWith("1/16 of the maximum heap"));
          assertEquals(Runtime.getRuntime().maxMemory() / 16, ConfigKey.DEFAULT_POOL_MAX_BYTES);
          assertEquals(ConfigKey.DEFAULT_POOL_MAX_BYTES, c.poolMaxBytes());
          break;
        case TRUST:
          assertTrue(c.trust().isEmpty());
          break;
        case DISTRUST:
          assertTrue(c.distrust().isEmpty());
          break;
        case OWNER_RELEASE:
          assertTrue(c.ownerRelease().isEmpty());
          break;
        case REPORT:
          assertNull(c.report());
          break;
        case HTTP:
          assertNull(c.http());
          break;
        case CONFIG:
          assertNull(c.origin(ConfigKey.CONFIG));
          break;
        default:
          fail(k.key() + " has a default written as text (" + k.defaultText() + "): add a check here");
      }
      assertTrue(k.defaultText().startsWith("none") || k == ConfigKey.POOL_MAX_BYTES, k.key());
    }
  }

  /** Reason codes named in the descriptions are the report's (REBYTE_* are environment names). */
  @Test
  void reasonCodes_inThePage_exist() {
    Set<String> unknown = new TreeSet<>();
    Matcher m = CODE.matcher(ConfigReference.render());
    while (m.find()) {
      String code = m.group();
      if (code.startsWith(ConfigKey.ENV_PREFIX)) {
        continue;
      }
      try {
        Reason.valueOf(code);
      } catch (IllegalArgumentException e) {
        unknown.add(code);
      }
    }
    assertEquals(Collections.emptySet(), unknown, "not a Reason");
  }

  /** {@code rebyte.config} may be left out: the text above the table describes it. */
  @Test
  void readmeTable_namesEveryKeyExceptConfig_andNoOther() throws IOException {
    Set<String> table = readmeTable().keySet();
    Set<String> missing = new TreeSet<>();
    Set<String> all = new TreeSet<>();
    for (ConfigKey k : ConfigKey.values()) {
      all.add(k.key());
      if (k != ConfigKey.CONFIG && !table.contains(k.key())) {
        missing.add(k.key());
      }
    }
    Set<String> unknown = new TreeSet<>(table);
    unknown.removeAll(all);
    assertTrue(missing.isEmpty() && unknown.isEmpty(), "the options table in " + README
        + " (section \"Using it on your service\") misses " + missing + " and names keys that do not exist: "
        + unknown);
  }

  /** A default that is a value appears, as code, in the README row that names the key. */
  @Test
  void readmeTable_showsTheValueDefaults() throws IOException {
    Map<String, String> table = readmeTable();
    List<String> wrong = new ArrayList<>();
    for (ConfigKey k : ConfigKey.values()) {
      String row = table.get(k.key());
      if (row != null && k.defaultText().matches("`[^`]+`") && !row.contains(k.defaultText())) {
        wrong.add(k.key() + " (default " + k.defaultText() + "): " + row);
      }
    }
    assertEquals(Collections.emptyList(), wrong, "README options table defaults vs. ConfigKey");
  }

  private AgentConfig load(String argument) throws ConfigException {
    return ConfigLoader.load(argument, Collections.emptyMap(), Collections.emptyMap(), new ArrayList<>());
  }

  /** The effective configuration without the "(set by ...)" tail. */
  private static String effective(AgentConfig c) {
    String d = c.describe();
    int setBy = d.indexOf(" (set by ");
    return setBy < 0 ? d : d.substring(0, setBy);
  }

  /** Each {@code rebyte.*} key in the first column of the options table, with its row's default cell. */
  private static Map<String, String> readmeTable() throws IOException {
    String readme = new String(Files.readAllBytes(README), StandardCharsets.UTF_8);
    int start = readme.indexOf("## Using it on your service");
    assertTrue(start >= 0, "no section \"Using it on your service\" in " + README);
    int end = readme.indexOf("\n## ", start + 1);
    Map<String, String> keys = new LinkedHashMap<>();
    Pattern key = Pattern.compile("`(rebyte\\.[a-z.-]+)`");
    for (String line : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
      String[] cells = line.split("\\|");
      if (!line.startsWith("|") || cells.length < 3) {
        continue;
      }
      Matcher m = key.matcher(cells[1]);
      while (m.find()) {
        keys.put(m.group(1), cells[2]);
      }
    }
    assertTrue(keys.size() > 5, "no options table in " + README + ": " + keys);
    return keys;
  }

  private static String firstDifference(String committed, String rendered) {
    if (committed.isEmpty()) {
      return "the file is missing or empty";
    }
    String[] a = committed.split("\n", -1);
    String[] b = rendered.split("\n", -1);
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      String x = i < a.length ? a[i] : "(end of file)";
      String y = i < b.length ? b[i] : "(end of file)";
      if (!x.equals(y)) {
        return "first difference at line " + (i + 1) + ":\n  committed: " + x + "\n  rendered:  " + y;
      }
    }
    return "they differ";
  }
}
