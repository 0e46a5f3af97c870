package dev.rebyte.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rebyte.agent.decision.Reason;
import dev.rebyte.agent.decision.Rounding;
import dev.rebyte.runtime.RebytePoolMBean;
import dev.rebyte.runtime.micrometer.RebyteMeters;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The pages in {@code docs/} name what the code defines, so they cannot drift from it unnoticed:
 * every decision code and meter has its entry, every message the troubleshooting page quotes is
 * text the code prints, and every relative link leads somewhere. Tests run with the working
 * directory {@code agent/}, so the pages are in {@code ../docs}.
 */
class DocsTest {
  private static final Path DOCS = Paths.get("..", "docs");
  private static final List<Path> SOURCES = List.of(Paths.get("..", "agent", "src", "main", "java"),
      Paths.get("..", "runtime", "src", "main", "java"));

  /**
   * Text that a page quotes from the agent's or the runtime's output and that is constant in the
   * code: each must be on its page and inside one string literal of the main sources. Messages
   * built from parts are listed by their constant parts. The JVM's own lines (class data sharing,
   * JEP 451) are not ours and not listed.
   */
  static final Map<String, List<String>> QUOTED = Map.of(
      "troubleshooting.md", List.of(
          "[rebyte] ",
          "installed (",
          "config error: ",
          "unknown key ",
          "): empty, but mode=",
          " needs at least one selector, e.g. include=com.acme.io",
          "not understood; ",
          "rewriting disabled because of ",
          " configuration error(s); the application runs unchanged",
          "invalid configuration (rebyte.strict=true), not starting: ",
          "mode=off: nothing installed",
          "ignoring the second start (attach with mode=off first to change it)",
          "agent failed to start, the application runs without it: ",
          " unchanged: ",
          "a type needed to compute stack map frames could not be resolved; the class is left as it was",
          "without loading classes; frames cannot be computed, class left unchanged",
          "ByteBuddy could not transform it",
          "no report file (set rebyte.report)",
          "Classes left unchanged because transforming them failed",
          "Classes the agent would leave unchanged because analysing or rewriting them failed:",
          "passed to, or called on, a method not known to leave it alone",
          "[rebyte] leak: ",
          "site leak at ",
          "lease leak (never closed)",
          " (its owner was collected without being closed)",
          "(further leaks are only counted)",
          "rebyte: loaded ",
          "the agent reports on that JVM's standard error",
          "rebyte: note: Java ",
          " warns about dynamically loaded agents unless started",
          " with -XX:+EnableDynamicAgentLoading (JEP 451)",
          "rebyte: attach: no process with pid "),
      "metrics.md", List.of(
          "metrics bound to Micrometer's global registry in ",
          "dashboard at http://",
          " (Prometheus: /metrics, JSON: /api/stats)"));

  /** {@code ### `NAME`}, the heading of one code's entry. */
  private static final Pattern CODE_HEADING = Pattern.compile("^### `([A-Z_]+)`", Pattern.MULTILINE);
  /** {@code [text](target)}; targets without spaces. */
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  /** A row of the JMX table: {@code | `Hits` | ...}. */
  /** {@code BytePoolTest.acquire_exact_returnsExactLengthOfZeros}, {@code DifferentialIT}. */
  private static final Pattern CITED_TEST =
      Pattern.compile("\\b([A-Z][A-Za-z0-9]*(?:Test|IT))\\b(?:\\.([a-z][A-Za-z0-9_]*))?");
  private static final Pattern ATTRIBUTE_ROW = Pattern.compile("^\\| `([A-Za-z]+)` \\|", Pattern.MULTILINE);

  @Test
  void reasons_hasAnEntryForEveryReasonAndEveryRoundingCode_andNoOther() throws IOException {
    String page = read("reasons.md");
    int split = page.indexOf("\n## Rounding codes");
    assertTrue(split > 0, "reasons.md has no section '## Rounding codes'");
    Set<String> reasons = headings(page.substring(0, split));
    Set<String> roundings = headings(page.substring(split));
    assertEquals(names(Reason.values()), reasons, "entries (### `NAME`) before '## Rounding codes' vs. Reason");
    assertEquals(names(Rounding.values()), roundings, "entries (### `NAME`) under '## Rounding codes' vs. Rounding");
  }

  @Test
  void metrics_namesEveryMeterInBothSpellings() throws IOException {
    String page = read("metrics.md");
    List<String> missing = new ArrayList<>();
    for (RebyteMeters m : RebyteMeters.values()) {
      for (String name : List.of(m.getName(), m.prometheusName())) {
        if (!page.contains("`" + name + "`")) {
          missing.add(name);
        }
      }
    }
    assertTrue(missing.isEmpty(), "metrics.md does not name these meters: " + missing);
  }

  @Test
  void metrics_jmxTableIsEveryAttributeOfTheMBean() throws IOException {
    String page = read("metrics.md");
    int at = page.indexOf("\n## JMX");
    assertTrue(at > 0, "metrics.md has no section '## JMX'");
    Set<String> rows = new TreeSet<>();
    Matcher m = ATTRIBUTE_ROW.matcher(section(page, at));
    while (m.find()) {
      rows.add(m.group(1));
    }
    Set<String> attributes = new TreeSet<>();
    for (Method method : RebytePoolMBean.class.getMethods()) {
      if (method.getName().startsWith("get") && method.getParameterCount() == 0) {
        attributes.add(method.getName().substring(3));
      }
    }
    assertEquals(attributes, rows, "rows of the JMX table in metrics.md vs. the getters of RebytePoolMBean");
  }

  @Test
  void metrics_apiStatsSectionNamesEveryFieldStatsJsonWrites() throws IOException {
    String page = read("metrics.md");
    int at = page.indexOf("\n## `/api/stats`");
    assertTrue(at > 0, "metrics.md has no section '## `/api/stats`'");
    String section = prose(section(page, at)); // the table, not the excerpt
    String source = Files.readString(SOURCES.get(0).resolve("dev/rebyte/agent/http/StatsJson.java"),
        StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("(?:num|name)\\(b, (?:true|false|first), \"([A-Za-z]+)\"").matcher(source);
    Set<String> fields = new TreeSet<>();
    while (m.find()) {
      fields.add(m.group(1));
    }
    assertTrue(fields.size() > 30, "too few fields found in StatsJson.java: " + fields);
    List<String> missing = fields.stream()
        .filter(f -> !Pattern.compile("(?<![A-Za-z])" + f + "(?![A-Za-z])").matcher(section).find())
        .collect(Collectors.toList());
    assertTrue(missing.isEmpty(), "the /api/stats section of metrics.md does not name: " + missing);
  }

  @Test
  void quotedMessages_areOnTheirPageAndInAStringLiteralOfTheCode() throws IOException {
    Set<String> literals = stringLiterals();
    assertTrue(literals.size() > 500, "too few string literals found: " + literals.size());
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : QUOTED.entrySet()) {
      String page = read(e.getKey());
      for (String text : e.getValue()) {
        if (!page.contains(text)) {
          problems.add(e.getKey() + " does not quote '" + text + "'");
        }
        if (literals.stream().noneMatch(l -> l.contains(text))) {
          problems.add("'" + text + "' (" + e.getKey() + ") is in no string literal of the main sources");
        }
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void relativeLinks_resolveToFilesAndHeadings() throws IOException {
    List<String> broken = new ArrayList<>();
    List<Path> pages;
    try (Stream<Path> s = Files.list(DOCS)) {
      pages = s.filter(p -> p.toString().endsWith(".md")).sorted().collect(Collectors.toList());
    }
    assertTrue(pages.size() >= 6, "docs/ has too few pages: " + pages);
    for (Path page : pages) {
      Matcher m = LINK.matcher(prose(Files.readString(page, StandardCharsets.UTF_8)));
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("[a-z]+:.*")) {
          continue; // http:, https:, mailto:
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path resolved = file.isEmpty() ? page : page.resolveSibling(file).normalize();
        if (!Files.isRegularFile(resolved)) {
          broken.add(page.getFileName() + ": " + target + " (no file " + resolved + ")");
        } else if (hash >= 0 && resolved.toString().endsWith(".md")
            && !anchors(Files.readString(resolved, StandardCharsets.UTF_8)).contains(target.substring(hash + 1))) {
          broken.add(page.getFileName() + ": " + target + " (no such heading in " + resolved + ")");
        }
      }
    }
    assertTrue(broken.isEmpty(), "broken links:\n" + String.join("\n", broken));
  }

  @Test
  void citedTests_exist() throws IOException {
    Map<String, String> tests = new HashMap<>(); // class simple name -> source
    for (String module : List.of("runtime", "agent", "it-tests", "it-tests-spring")) {
      Path root = Paths.get("..", module, "src", "test", "java");
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> s = Files.walk(root)) {
        for (Path f : s.filter(x -> x.toString().endsWith(".java")).collect(Collectors.toList())) {
          tests.put(f.getFileName().toString().replace(".java", ""), Files.readString(f, StandardCharsets.UTF_8));
        }
      }
    }
    List<String> missing = new ArrayList<>();
    int cited = 0;
    try (Stream<Path> s = Files.list(DOCS)) {
      for (Path page : s.filter(p -> p.toString().endsWith(".md")).sorted().collect(Collectors.toList())) {
        Matcher m = CITED_TEST.matcher(Files.readString(page, StandardCharsets.UTF_8));
        while (m.find()) {
          cited++;
          String source = tests.get(m.group(1));
          if (source == null) {
            missing.add(page.getFileName() + ": " + m.group() + " (no test class " + m.group(1) + ")");
          } else if (m.group(2) != null && !source.contains(" " + m.group(2) + "(")) {
            missing.add(page.getFileName() + ": " + m.group() + " (no method " + m.group(2) + ")");
          }
        }
      }
    }
    assertTrue(cited > 20, "too few cited tests found: " + cited);
    assertTrue(missing.isEmpty(), "the docs cite tests that do not exist:\n" + String.join("\n", missing));
  }

  private static String read(String page) throws IOException {
    return Files.readString(DOCS.resolve(page), StandardCharsets.UTF_8);
  }

  private static Set<String> names(Enum<?>[] values) {
    return Stream.of(values).map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> headings(String text) {
    Set<String> out = new TreeSet<>();
    Matcher m = CODE_HEADING.matcher(prose(text));
    while (m.find()) {
      assertTrue(out.add(m.group(1)), "two entries for " + m.group(1));
    }
    return out;
  }

  /** From a {@code ## } heading at {@code at} to the next one (or the end). */
  private static String section(String page, int at) {
    int next = page.indexOf("\n## ", at + 1);
    return page.substring(at, next < 0 ? page.length() : next);
  }

  /** The page without its fenced code blocks: no links or headings are in there. */
  private static String prose(String page) {
    StringBuilder b = new StringBuilder();
    boolean fenced = false;
    for (String line : page.split("\n", -1)) {
      if (line.startsWith("```")) {
        fenced = !fenced;
        b.append('\n');
      } else {
        b.append(fenced ? "" : line).append('\n');
      }
    }
    return b.toString();
  }

  /** The anchors GitHub gives the page's headings: lower case, punctuation dropped, spaces to '-'. */
  static Set<String> anchors(String page) {
    Set<String> out = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String line : prose(page).split("\n")) {
      if (!line.matches("#{1,6} .*")) {
        continue;
      }
      String slug = line.replaceFirst("^#+ ", "").trim().toLowerCase(Locale.ROOT)
          .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
      int n = seen.merge(slug, 1, Integer::sum);
      out.add(n == 1 ? slug : slug + "-" + (n - 1));
    }
    return out;
  }

  /** Every string literal of the main sources, escapes resolved; comments and char literals skipped. */
  private static Set<String> stringLiterals() throws IOException {
    Set<String> out = new LinkedHashSet<>();
    for (Path root : SOURCES) {
      List<Path> files;
      try (Stream<Path> s = Files.walk(root)) {
        files = s.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList());
      }
      for (Path f : files) {
        literals(Files.readString(f, StandardCharsets.UTF_8), out);
      }
    }
    return out;
  }

  /*
   * A small lexer, enough for this code base (Java 11, no text blocks): outside comments and char
   * literals, a '"' opens a string that ends at the next unescaped '"'.
   */
  static void literals(String java, Set<String> out) {
    int i = 0;
    int n = java.length();
    while (i < n) {
      char c = java.charAt(i);
      if (c == '/' && i + 1 < n && java.charAt(i + 1) == '/') {
        int end = java.indexOf('\n', i);
        i = end < 0 ? n : end;
      } else if (c == '/' && i + 1 < n && java.charAt(i + 1) == '*') {
        int end = java.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (c == '\'') {
        i = skipQuoted(java, i, '\'', null);
      } else if (c == '"') {
        StringBuilder b = new StringBuilder();
        i = skipQuoted(java, i, '"', b);
        out.add(b.toString());
      } else {
        i++;
      }
    }
  }

  /** Skips a quoted literal starting at {@code i}; appends its content to {@code into} if given. */
  private static int skipQuoted(String java, int i, char quote, StringBuilder into) {
    int j = i + 1;
    while (j < java.length() && java.charAt(j) != quote) {
      char c = java.charAt(j);
      if (c == '\\' && j + 1 < java.length()) {
        char e = java.charAt(++j);
        c = e == 'n' ? '\n' : e == 't' ? '\t' : e;
      }
      if (into != null) {
        into.append(c);
      }
      j++;
    }
    return j + 1;
  }
}
