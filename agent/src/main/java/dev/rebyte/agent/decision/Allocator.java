package dev.rebyte.agent.decision;

/** An allocator method: the key callers release under, and what the report shows. */
public final class Allocator {
  /** {@code owner.name+desc} of the method whose id the arrays are counted under. */
  public final String key;
  public final String owner;
  public final String name;
  public final String desc;
  /** First line of an allocation, -1 when unknown. */
  public final int line;
  /** The common constant length of its allocations, else -1. */
  public final int constantLength;

  public Allocator(String owner, String name, String desc, int line, int constantLength) {
    this.key = owner + "." + name + desc;
    this.owner = owner;
    this.name = name;
    this.desc = desc;
    this.line = line;
    this.constantLength = constantLength;
  }
}
