package dev.rebyte.agent.decision;

import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IntInsnNode;

/**
 * One instruction that could observe the capacity of a rounded site's array, and what the rewrite must
 * do there. Produced by the analysis, consumed by the rewrite; the analysis emits nothing.
 *
 * <pre>
 * kind           instruction               rewrite
 * LENGTH         ARRAYLENGTH               pop; iload n
 * LOAD / STORE   BALOAD / BASTORE          index checked against [0, n), AIOOBE as the JVM words it
 * CALL           invoke* in BoundedForm    whole form: bounded form with 0, n; ranged: check, slow path
 * </pre>
 */
public final class CapacityUse {
  /** What kind of observation. */
  public enum Kind { LENGTH, LOAD, STORE, CALL }

  private final AbstractInsnNode instruction;
  private final Kind kind;
  private final BoundedForm form;
  private final IntInsnNode[] argumentSites;

  public CapacityUse(AbstractInsnNode instruction, Kind kind, BoundedForm form, IntInsnNode[] argumentSites) {
    this.instruction = instruction;
    this.kind = kind;
    this.form = form;
    this.argumentSites = argumentSites;
  }

  public AbstractInsnNode instruction() { return instruction; }

  public Kind kind() { return kind; }

  /** The call's form; null unless {@link Kind#CALL}. */
  public BoundedForm form() { return form; }

  /**
   * For LENGTH, LOAD and STORE: one entry, the site whose array it is. For CALL: per argument
   * (receiver excluded), the {@code NEWARRAY} of the one site whose array the argument certainly is,
   * or null (not an array, or not certainly one site's). Only rounded sites need bounding; the
   * others are exact arrays whose length is their capacity.
   */
  public IntInsnNode site(int argument) { return argumentSites[argument]; }

  public int arguments() { return argumentSites.length; }
}
