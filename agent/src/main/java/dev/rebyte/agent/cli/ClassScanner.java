package dev.rebyte.agent.cli;

import dev.rebyte.agent.classfile.TypeHierarchy;
import dev.rebyte.agent.config.AgentConfig;
import dev.rebyte.agent.decision.Reason;
import dev.rebyte.agent.decision.SiteDecision;
import dev.rebyte.agent.report.SiteReport;
import dev.rebyte.agent.select.ClassSelector;
import dev.rebyte.agent.transform.ClassTransformer;
import dev.rebyte.agent.transform.SiteRegistrar;
import dev.rebyte.agent.transform.TransformResult;
import dev.rebyte.agent.transform.TransformSettings;
import dev.rebyte.runtime.SiteMode;
import java.io.IOException;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs the agent's analysis over class files without loading or running them: the same
 * {@link ClassSelector} as the agent's matcher, the same {@link ClassTransformer} and settings
 * ({@link TransformSettings#from}), a {@link TypeHierarchy} over the inputs plus the JDK for the
 * frames, and a {@link SiteRegistrar} that only counts (nothing touches the runtime pool). The first
 * class of a name wins, as on a class path.
 */
final class ClassScanner {
  private ClassScanner() {}

  static ScanResult scan(ClassInputs inputs, AgentConfig config) throws IOException {
    ClassSelector selector = config.selector();
    TransformSettings settings = TransformSettings.from(config, false); // a scan loads nothing
    ClassTransformer transformer = new ClassTransformer(settings, new CountingRegistrar());
    String mode = settings.mode().name().toLowerCase(Locale.ROOT);
    SiteReport report = new SiteReport(mode);
    List<SiteDecision> sites = new ArrayList<>();
    List<ScanResult.Failure> failures = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int[] counts = new int[3]; // read, selected, duplicates
    try (URLClassLoader loader = inputs.resourceLoader()) {
      TypeHierarchy hierarchy = TypeHierarchy.fromResources(loader);
      inputs.forEachClass((className, classFile) -> {
        counts[0]++;
        if (!seen.add(className)) {
          counts[2]++;
          return;
        }
        if (!selector.selectsClass(className)) {
          return;
        }
        counts[1]++;
        TransformResult result = transformer.transform(classFile, hierarchy);
        String name = result.className() == null ? className : result.className();
        List<SiteDecision> found = new ArrayList<>();
        for (SiteDecision d : result.sites()) {
          found.add(d.withSiteId(-1)); // no runtime id: nothing was registered
        }
        report.recordSites(name, null, found);
        sites.addAll(found);
        Reason reason = result.classReason();
        if (result.failure() != null || (reason != null && reason != Reason.UNSUPPORTED_CLASS)) {
          String why = reason == null ? "transform failed" : reason.name() + ": " + reason.description();
          String detail = result.failure() == null ? "" : firstLine(result.failure().toString());
          report.recordFailure(name, null, why, detail);
          failures.add(new ScanResult.Failure(name, why, detail));
        }
      });
    }
    sites.sort(Comparator.comparing(SiteDecision::className).thenComparing(SiteDecision::methodName)
        .thenComparingInt(SiteDecision::line));
    return new ScanResult(mode, inputs.entries().size(), counts[0], counts[1], counts[2], sites, failures,
        report.snapshot(), config.selector().toString() + " min-size=" + config.minSize());
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Hands out ids the way the runtime would (dense from 0) but registers nothing. */
  private static final class CountingRegistrar implements SiteRegistrar {
    private int next;

    @Override
    public synchronized int register(SiteDecision site, SiteMode mode) {
      return next++;
    }
  }
}
