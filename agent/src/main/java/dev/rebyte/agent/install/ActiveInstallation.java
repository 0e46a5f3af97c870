package dev.rebyte.agent.install;

import dev.rebyte.agent.config.AgentMode;
import dev.rebyte.agent.log.AgentLog;
import dev.rebyte.agent.report.ReportWriter;
import java.lang.instrument.Instrumentation;
import java.util.Locale;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/**
 * The agent as installed in this JVM, kept so that an attach with {@code mode=off} can take it out
 * again: {@link #reset} removes the transformer and retransforms the selected classes, which gives
 * them back their original bytes (the JVM keeps the class file as it was before any
 * retransformation-capable transformer changed it). A later attach with {@code mode=rewrite}
 * installs a fresh transformer.
 */
final class ActiveInstallation {
  /*
   * Why a reset under a running application is safe.
   *
   * Retransformation never changes a method activation that is already on a stack: a thread inside
   * a rewritten method keeps running the rewritten (now obsolete) body until that activation returns
   * or throws; new calls run the restored body. So for a while both versions run at once. Every
   * pooled array is paired with its own version's code:
   *
   *  - An array acquired by rewritten code is released by the same activation's rewritten code (its
   *    return paths, or the next run of the same site in a loop, where the analysis proved the
   *    previous array dead), because the release points are part of the body that activation runs.
   *    The runtime stays on the boot class path and is never unloaded, so those calls link and the
   *    pool accepts the array, clearing it on release as always (truncate on return).
   *  - If that activation exits by an exception the array is left to the GC, exactly as before the
   *    reset (DESIGN rule 3): nothing is released twice or too early.
   *  - While the old activation holds the array it may pass it only to methods proven not to retain
   *    it (the JDK list, trusted methods, or callees whose class file the analysis summarised). A
   *    restored callee runs its original body, which is the body the analysis read, never a
   *    rewritten one: rewriting adds acquire/release of a method's own arrays and never makes a
   *    method keep a parameter. So the array still cannot escape the old activation.
   *  - Restored code contains no release call, so it can never hand the pool an array it did not
   *    get from it, nor release one that old code still uses. It allocates with plain new.
   *  - Site ids of the old installation stay registered; late releases with an old id count
   *    against the old site. A re-install registers new ids, so the two never mix counters.
   *
   * What is lost: arrays held by old activations when they exit exceptionally, and (for
   * owner-scoped fields, when the analysis pools them) arrays acquired by a rewritten constructor
   * whose owner is later closed by restored code: both are plain garbage, counted as leaks or
   * escapes, never reused while still referenced.
   */
  private final AgentMode mode;
  private final ReportWriter reportWriter;
  private final Instrumentation inst;
  private final ResettableClassFileTransformer transformer;

  /**
   * @param inst the instance the transformer was added to: every {@code loadAgent} gets its own
   *     {@link Instrumentation}, and only that one can remove the transformer
   */
  ActiveInstallation(AgentMode mode, ReportWriter reportWriter, Instrumentation inst,
      ResettableClassFileTransformer transformer) {
    this.mode = mode;
    this.reportWriter = reportWriter;
    this.inst = inst;
    this.transformer = transformer;
  }

  /** The mode as users write it ({@code rewrite}, {@code observe}). */
  String mode() {
    return mode.name().toLowerCase(Locale.ROOT);
  }

  /** Removes the transformer, restores the selected classes and stops refreshing the report. */
  void reset() {
    TransformerInstallation.Restored restored = TransformerInstallation.reset(inst, transformer);
    reportWriter.stop();
    if (!restored.removed) {
      AgentLog.logNow("mode=off: the transformer was not registered any more; nothing retransformed");
      return;
    }
    AgentLog.logNow("mode=off: reset done, transformer removed, " + restored.classes
        + " loaded classes retransformed to their original bytes"
        + (restored.failed == 0 ? "" : " (" + restored.failed + " could not be, see above)")
        + "; methods running right now finish on the rewritten code (safe: see ActiveInstallation)");
  }
}
