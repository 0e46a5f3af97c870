package dev.rebyte.agent.transform;

import dev.rebyte.agent.config.AgentConfig;
import dev.rebyte.agent.config.AgentMode;

/**
 * The one translation of the configuration into analysis settings, shared by the agent and the
 * {@code scan}/{@code advise} commands, so a scan decides exactly what the agent would decide with
 * the same keys.
 */
public final class AnalysisSettings {
  private AnalysisSettings() {}

  /**
   * {@code rebyte.mode}, {@code min-size}, {@code rounded}, {@code owners}, {@code owner.release}, the method selectors, {@code trust} and
   * {@code distrust}.
   */
  public static TransformOptions of(AgentConfig config) {
    return of(config, false);
  }

  /** @param lateAttach the agent was attached to a running JVM: loaded classes are retransformed */
  public static TransformOptions of(AgentConfig config, boolean lateAttach) {
    return TransformOptions.builder()
        .retransforming(lateAttach)
        .mode(config.mode() == AgentMode.OBSERVE ? TransformOptions.Mode.OBSERVE : TransformOptions.Mode.REWRITE)
        .minSize(config.minSize())
        .rounded(config.rounded())
        .owners(config::ownersIn)
        .ownerRelease(config.ownerRelease())
        .methodFilter(config.selector()::selectsMethod)
        .trust(config.trust())
        .distrust(config.distrust())
        .build();
  }
}
