package dev.rebyte.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the agent's JSON site report. The report puts one site object per line; this reads the
 * string and number fields of each with a regular expression (the tests need no JSON library).
 */
public final class SiteReportFile {
  private static final Pattern FIELD = Pattern.compile("\"(\\w+)\": (\"((?:[^\"\\\\]|\\\\.)*)\"|-?\\d+)");

  public final String json;
  public final List<Map<String, String>> sites = new ArrayList<>();

  private SiteReportFile(String json) {
    this.json = json;
    boolean inSites = false;
    for (String line : json.split("\\R")) {
      if (line.trim().startsWith("\"sites\"")) {
        inSites = true;
      } else if (inSites && line.trim().startsWith("{")) {
        Map<String, String> site = new HashMap<>();
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
          site.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(2));
        }
        sites.add(site);
      }
    }
  }

  public static SiteReportFile read(Path path) throws IOException {
    return new SiteReportFile(Files.readString(path, StandardCharsets.UTF_8));
  }

  /** The sites of {@code className#method}; fails when there is none. */
  public List<Map<String, String>> sitesOf(String className, String method) {
    List<Map<String, String>> out = new ArrayList<>();
    for (Map<String, String> s : sites) {
      if (s.get("class").equals(className) && s.get("method").equals(method)) {
        out.add(s);
      }
    }
    if (out.isEmpty()) {
      throw new AssertionError("no site for " + className + "#" + method + " in\n" + json);
    }
    return out;
  }

  /** The decision and reason of the one site of a method, as {@code "POOLED NON_ESCAPING"}. */
  public String decisionOf(String className, String method) {
    List<Map<String, String>> s = sitesOf(className, method);
    if (s.size() != 1) {
      throw new AssertionError(s.size() + " sites for " + className + "#" + method + " in\n" + json);
    }
    return s.get(0).get("decision") + " " + s.get(0).get("reason");
  }

  /** A number from the "counts" object. */
  public long count(String name) {
    Matcher m = Pattern.compile("\"" + name + "\": (\\d+)").matcher(json);
    if (!m.find()) {
      throw new AssertionError("no count " + name + " in\n" + json);
    }
    return Long.parseLong(m.group(1));
  }
}
