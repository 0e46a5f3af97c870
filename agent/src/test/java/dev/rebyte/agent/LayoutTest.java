package dev.rebyte.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's "How the code is laid out" table is the map of the agent: it must name every package
 * of the tree, and list them in dependency order (a package uses only packages above it), so the
 * table cannot drift from the code.
 */
class LayoutTest {
  private static final String AGENT = "dev.rebyte.agent";
  private static final Path README = Paths.get("..", "README.md");
  /** A table row: {@code | `analysis.flow` | ...} or {@code | (root) | ...}. */
  private static final Pattern ROW = Pattern.compile("^\\| (?:`([a-z.]+)`|\\(root\\)) \\|");

  private static JavaClasses classes;
  private static List<String> documented;

  @BeforeAll
  static void read() throws IOException {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(AGENT);
    documented = documentedPackages(Files.readString(README, StandardCharsets.UTF_8));
  }

  @Test
  void layoutTable_namesEveryPackageOfTheTree() {
    Set<String> tree = new TreeSet<>();
    for (JavaClass c : classes) {
      tree.add(relative(c));
    }
    assertEquals(tree, new TreeSet<>(documented), "packages in the tree vs. in " + README);
    assertEquals(documented.size(), new TreeSet<>(documented).size(), "a package listed twice");
  }

  @Test
  void layoutTable_isInDependencyOrder() {
    List<String> against = new ArrayList<>();
    for (JavaClass c : classes) {
      int from = documented.indexOf(relative(c));
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        JavaClass target = d.getTargetClass().getBaseComponentType();
        if (!target.getPackageName().equals(AGENT) && !target.getPackageName().startsWith(AGENT + ".")) {
          continue;
        }
        int to = documented.indexOf(relative(target));
        if (to > from) {
          against.add(d.getDescription());
        }
      }
    }
    assertTrue(against.isEmpty(), "dependencies on a package listed below (reorder the table in "
        + README + " or fix the dependency):\n" + String.join("\n", against));
  }

  @Test
  void layoutTable_isFound() {
    assertTrue(documented.size() > 10, "no layout table in " + README + ": " + documented);
  }

  /** The packages of the table, in its order; "" for the root package. */
  static List<String> documentedPackages(String readme) {
    int start = readme.indexOf("## How the code is laid out");
    int end = start < 0 ? -1 : readme.indexOf("\n## ", start + 1);
    List<String> out = new ArrayList<>();
    if (start < 0) {
      return out;
    }
    for (String line : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        out.add(m.group(1) == null ? "" : m.group(1));
      }
    }
    return out;
  }

  private static String relative(JavaClass c) {
    String p = c.getPackageName();
    return p.equals(AGENT) ? "" : p.substring(AGENT.length() + 1);
  }
}
