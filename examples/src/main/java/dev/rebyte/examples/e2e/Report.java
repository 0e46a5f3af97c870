package dev.rebyte.examples.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The markdown the harness writes: setup, medians with ratios and targets, every run. */
final class Report {
  private final E2e e;
  private final List<Run> runs;
  private final List<Run> plain = new ArrayList<>();
  private final List<Run> agent = new ArrayList<>();
  private final String started;
  private final String loadAtStart;
  private final String loadAtEnd;

  Report(E2e e, List<Run> runs, String started, String loadAtStart, String loadAtEnd) {
    this.e = e;
    this.runs = runs;
    this.started = started;
    this.loadAtStart = loadAtStart;
    this.loadAtEnd = loadAtEnd;
    for (Run r : runs) {
      (r.agent ? agent : plain).add(r);
    }
  }

  String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("### End-to-end: the example service without and with the agent\n\n");
    b.append("- date: ").append(started).append('\n');
    b.append("- command: `examples/e2e.sh --pairs ").append(e.pairs).append(" --warmup ").append(e.warmup)
        .append(" --duration ").append(e.duration).append(" --threads ").append(e.threads).append("`\n");
    b.append("- JDK: ").append(Machine.javaVersion(e.java)).append('\n');
    b.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (")
        .append(Machine.cpuModel()).append("), ").append(Machine.memory()).append(" memory; load average (1/5/15 min) ")
        .append(loadAtStart).append(" at the start, ").append(loadAtEnd).append(" at the end\n");
    b.append("- service JVM: `").append(e.serviceFlags()).append("`, 4 worker threads; driver: separate JVM, ")
        .append(e.threads).append(" client threads on keep-alive connections to 127.0.0.1\n");
    b.append("- each run: ").append(e.warmup).append(" s warm-up, then a ").append(e.duration)
        .append(" s window in which everything is measured; runs alternate without/with; medians over ")
        .append(e.pairs).append(" runs each; ratio = median with / median without\n\n");

    b.append("| metric | without agent | with agent | with / without | target | met |\n");
    b.append("|---|---:|---:|---:|---|---|\n");
    row(b, "throughput (requests/s)", Run::throughput, "%.1f", "at least 1.10x", r -> r >= 1.10);
    row(b, "p50 latency (ms)", Run::p50, "%.2f", "", null);
    row(b, "p99 latency (ms)", Run::p99, "%.2f", "not worse (at most 1.00x)", r -> r <= 1.00);
    row(b, "bytes allocated (MB, ThreadMXBean)", r -> r.allocated() / 1e6, "%.1f", "down at least 90%", r -> r <= 0.10);
    row(b, "bytes allocated per request (KB)", r -> r.allocated() / 1e3 / r.requests(), "%.1f", "", null);
    row(b, "bytes allocated (MB, GC-log heap accounting)", r -> r.allocatedByHeap() / 1e6, "%.1f", "(cross-check)", null);
    row(b, "GC pauses", Run::gcCount, "%.0f", "down at least 80%", r -> r <= 0.20);
    row(b, "total GC pause (ms)", Run::gcPauseTotal, "%.1f", "down at least 80%", r -> r <= 0.20);
    row(b, "max GC pause (ms)", Run::gcPauseMax, "%.1f", "", null);
    row(b, "GCs caused by humongous allocation", Run::humongousGcs, "%.0f", "down at least 90%", r -> r <= 0.10);
    b.append(String.format(Locale.ROOT, "| pool hit rate | - | %.1f%% | | | |%n", 100 * median(agent, Run::hitRate)));
    b.append(String.format(Locale.ROOT, "| pool retained (MB) at the end | - | %.1f | | | |%n",
        median(agent, r -> r.retained() / 1e6)));
    double echo = median(agent, r -> r.echoAllocated() / 1e6);
    double rest = median(agent, r -> r.allocated() / 1e6);
    b.append(String.format(Locale.ROOT, "| echo bodies still allocated (MB; share of the remaining allocation) | - | %.1f (%.0f%%) | | | |%n%n",
        echo, 100 * echo / rest));

    b.append("Every run (window only; failures = errors + wrong responses, must be 0):\n\n");
    b.append("| run | agent | req/s | p50 ms | p99 ms | alloc MB | heap-acct MB | GC pauses | pause total ms |"
        + " pause max ms | humongous GCs | hit rate | echo non-hits | failures | load avg before -> after |\n");
    b.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Run r : runs) {
      b.append(String.format(Locale.ROOT,
          "| %d | %s | %.1f | %.2f | %.2f | %.1f | %.1f | %.0f | %.1f | %.1f | %.0f | %s | %s | %d | %s -> %s |%n",
          r.number, r.agent ? "yes" : "no", r.throughput(), r.p50(), r.p99(), r.allocated() / 1e6,
          r.allocatedByHeap() / 1e6, r.gcCount(), r.gcPauseTotal(), r.gcPauseMax(), r.humongousGcs(),
          Double.isNaN(r.hitRate()) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * r.hitRate()),
          Double.isNaN(r.siteNonHits("EchoHandler.handle")) ? "-" : String.format(Locale.ROOT, "%.0f/%.0f",
              r.siteNonHits("EchoHandler.handle"), r.siteAcquires("EchoHandler.handle")),
          r.failures(), r.loadBefore, r.loadAfter));
    }
    return b.toString();
  }

  private void row(StringBuilder b, String name, ToDoubleFunction<Run> f, String format, String target,
      java.util.function.DoublePredicate met) {
    double without = median(plain, f);
    double with = median(agent, f);
    double ratio = without == 0 ? Double.NaN : with / without;
    String verdict = met == null ? "" : Double.isNaN(ratio) ? "n/a (0 without)" : met.test(ratio) ? "**yes**" : "no";
    b.append(String.format(Locale.ROOT, "| %s | " + format + " | " + format + " | %s | %s | %s |%n", name, without,
        with, Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.3f", ratio), target, verdict));
  }

  static double median(List<Run> runs, ToDoubleFunction<Run> f) {
    double[] v = runs.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
