package dev.rebyte.examples.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** What the report says about the machine: CPUs, model, memory, load, the JDK. Linux /proc; "-" elsewhere. */
final class Machine {
  private Machine() {}

  static String loadAverage() {
    String s = read("/proc/loadavg");
    String[] parts = s.split(" ");
    return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : "-";
  }

  static String cpuModel() {
    for (String line : read("/proc/cpuinfo").split("\n")) {
      if (line.startsWith("model name")) {
        return line.substring(line.indexOf(':') + 1).trim();
      }
    }
    return "-";
  }

  static String memory() {
    for (String line : read("/proc/meminfo").split("\n")) {
      if (line.startsWith("MemTotal:")) {
        long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
        return String.format("%.1f GiB", kb / 1024.0 / 1024.0);
      }
    }
    return "-";
  }

  static String javaVersion(Path java) {
    try {
      Process p = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
      List<String> lines = new ArrayList<>();
      for (String line : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          lines.add(line.trim());
        }
      }
      p.waitFor();
      return String.join("; ", lines);
    } catch (IOException | InterruptedException e) {
      return "-";
    }
  }

  private static String read(String path) {
    try {
      return new String(Files.readAllBytes(Paths.get(path)), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
