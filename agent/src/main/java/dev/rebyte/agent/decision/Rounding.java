package dev.rebyte.agent.decision;

/**
 * Why a pooled site got its size mode: {@code ROUNDED} (any array of its length's class) or
 * {@code EXACT} (an array of exactly its length). Exact mode is still pooled; these codes only say
 * why a site could not share its class with other lengths. The report prints {@link #description()}.
 *
 * <pre>
 * mode     code               meaning
 * ROUNDED  UNOBSERVED         nothing the program does with the array can see its capacity
 * ROUNDED  BOUNDED            every capacity observation is rewritten against the logical length n
 * EXACT    CONSTANT_LENGTH    a constant length hits in exact mode; rounding would only add checks
 * EXACT    DISABLED           rounded mode is off (TransformSettings.rounded(false), rebyte.rounded)
 * EXACT    NOT_POOLED         the site is not pooled at all (rejected, skipped, observed)
 * EXACT    MERGED_VALUE       an observing use may see another site's array, a parameter, null...
 * EXACT    UNBOUNDED_CALL     passed to, or called on, a method with no bounded form in BoundedForm
 * ALLOCATOR ALLOCATOR         an allocator's array or an allocator call's result: exact, counted as ALLOCATOR
 * OWNED    OWNED              an owner-scoped buffer: exact (its length is visible through the field)
 * </pre>
 */
public enum Rounding {
  UNOBSERVED(true, "the capacity is never observed"),
  BOUNDED(true, "every capacity observation is bounded by the logical length"),
  CONSTANT_LENGTH(false, "constant length: exact mode hits anyway"),
  DISABLED(false, "rounded mode is off"),
  NOT_POOLED(false, "the site is not pooled"),
  MERGED_VALUE(false, "a use that observes the capacity may see an array from elsewhere"),
  UNBOUNDED_CALL(false, "passed to a method with no form bounded by the logical length"),
  ALLOCATOR(false, "allocator arrays are exact (no rounding through allocators)"),
  OWNED(false, "owner-scoped buffers are exact (the field exposes the length to every method)");

  private final boolean rounded;
  private final String description;

  Rounding(boolean rounded, String description) {
    this.rounded = rounded;
    this.description = description;
  }

  /** Whether the site uses {@code acquireAtLeast}. */
  public boolean rounded() {
    return rounded;
  }

  /** One human sentence, as shown in the report. */
  public String description() {
    return description;
  }
}
