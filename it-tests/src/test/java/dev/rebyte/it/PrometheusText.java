package dev.rebyte.it;

import java.util.LinkedHashMap;
import java.util.Map;

/** The samples of a Prometheus text exposition, by series ({@code name{labels}}). */
final class PrometheusText {
  final Map<String, Double> samples = new LinkedHashMap<>();
  final String text;

  PrometheusText(String text) {
    this.text = text;
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
  }

  /** Whether any series of this metric name exists. */
  boolean has(String name) {
    return samples.keySet().stream().anyMatch(s -> s.equals(name) || s.startsWith(name + "{"));
  }

  /** The sum over every series of {@code name} whose labels contain all of {@code labels} ({@code k="v"}). */
  double sum(String name, String... labels) {
    double total = 0;
    for (Map.Entry<String, Double> e : samples.entrySet()) {
      String s = e.getKey();
      if (!(s.equals(name) || s.startsWith(name + "{"))) {
        continue;
      }
      boolean all = true;
      for (String l : labels) {
        all &= s.contains(l);
      }
      if (all) {
        total += e.getValue();
      }
    }
    return total;
  }
}
