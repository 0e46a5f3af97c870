package dev.rebyte.agent.transform;

import dev.rebyte.agent.decision.SiteDecision;
import dev.rebyte.runtime.Rebyte;
import dev.rebyte.runtime.SiteMode;

/**
 * Gives each rewritten site the id that the emitted code passes to the runtime. Called at transform
 * time, once per pooled or observed site, before the class is re-emitted.
 */
@FunctionalInterface
public interface SiteRegistrar {
  /** Registers with {@link Rebyte#registerSite} (dotted class name, as {@link SiteDecision#className()}). */
  SiteRegistrar RUNTIME = (site, mode) -> Rebyte.registerSite(site.className(), site.methodName(),
      site.methodDescriptor(), site.line(), site.constantLength(), mode);

  /** Returns the id to embed (a non-negative int). */
  int register(SiteDecision site, SiteMode mode);
}
