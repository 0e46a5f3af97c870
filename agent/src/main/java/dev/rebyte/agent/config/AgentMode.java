package dev.rebyte.agent.config;

/** {@code rebyte.mode}: what the agent does to selected classes. */
public enum AgentMode {
  /** Rewrite proven sites to use the pool (the default). */
  REWRITE,
  /** Analyse and count what would be pooled; change no allocation. */
  OBSERVE,
  /** Install nothing. */
  OFF
}
