package dev.rebyte.agent.decision;

/**
 * Why a site got its {@link Decision}. One table, one place: the report and the dashboard print
 * {@link #description()}.
 *
 * <pre>
 * decision   reason                          meaning
 * POOLED     NON_ESCAPING                    every use of every value the site produces is safe
 * POOLED     NON_ESCAPING_VIA_CALLEES        same, thanks to callee summaries (detail: the chain)
 * POOLED     ALLOCATOR                       an allocator's own site: acquired, returned to callers,
 *                                            released by those that prove it dead (mode ALLOCATOR)
 * POOLED     ALLOCATOR_RESULT                a call to an allocator whose result does not escape:
 *                                            released here (detail: the allocator)
 * POOLED     OWNED_BY_INSTANCE               stored in a private field of its owner, released when the owner
 *                                            closes (detail: the field and the release method)
 * REJECTED   OWNERS_DISABLED                 would be owner-scoped, rebyte.owners is off for the class
 *                                            (detail: the field, the release method, bytes per instance)
 * REJECTED   FIELD_* / OWNER_* / ...         stored in a field that is not owner-scoped, and why
 * REJECTED   ESCAPES_IN_CALLEE               a bound callee lets it escape (detail: the chain)
 * REJECTED   CALLEE_NOT_ANALYSABLE           a bound callee could not be read or analysed
 * OBSERVED   NON_ESCAPING                    same, in observe mode
 * REJECTED   STORED_IN_FIELD ...             an escaping use; detail names it, reasonLine says where
 * REJECTED   LIVE_WHEN_SITE_RUNS_AGAIN       a loop may still use the previous array when the site runs again
 * SKIPPED    BELOW_MIN_SIZE ...              not worth it, or not analysable
 * </pre>
 */
public enum Reason {
  NON_ESCAPING("the array never leaves the method"),
  NON_ESCAPING_VIA_CALLEES("the array never leaves the method and the statically bound methods it is passed to"),
  ALLOCATOR("allocator: the array is returned to callers, which release it where they prove it dead"),
  ALLOCATOR_RESULT("the result of an allocator call never leaves the method: released here"),
  OWNED_BY_INSTANCE("kept in a private field of its owner: acquired here, released when the owner is closed"),
  OWNERS_DISABLED("kept in a field its owner could release when closed; pooled with rebyte.owners=true"),
  FIELD_ESCAPES("kept in a field whose array leaves the object (returned, passed on or stored elsewhere)"),
  FIELD_NOT_PRIVATE("kept in a field that is not private: other classes can reach it"),
  FIELD_NOT_FRESH("kept in a field that is also given arrays that are not fresh allocations, or shared"),
  FIELD_USED_BY_NESTMATE("kept in a private field that a nestmate (inner or outer class) reads or writes"),
  FIELD_REFLECTED("kept in a field whose name the class uses as a string (reflection)"),
  OWNER_CLONEABLE("kept in a field of a Cloneable class: a shallow copy would share the array"),
  OWNER_SERIALIZABLE("kept in a non-transient field of a Serializable class"),
  FIELD_FINAL("kept in a final field of a Java 9+ class that is retransformed (late attach): its schema cannot change"),
  NO_RELEASE_POINT("kept in a field of a class with no close() of its own and no rebyte.owner.release method"),
  LIVE_ACROSS_RELEASE("a copy of the field's array is still in use when a method that releases or replaces it runs"),
  ESCAPES_IN_CALLEE("passed to a statically bound method that lets it escape"),
  CALLEE_NOT_ANALYSABLE("passed to a statically bound method that could not be read or analysed"),
  STORED_IN_FIELD("stored in an instance field"),
  STORED_IN_STATIC("stored in a static field"),
  STORED_IN_ARRAY("stored as an element of another array (varargs included)"),
  RETURNED("returned by the method"),
  THROWN("thrown"),
  CAPTURED_BY_INVOKEDYNAMIC("captured by invokedynamic (lambda, method reference, string concatenation)"),
  MONITOR("used as a monitor (synchronized)"),
  PASSED_TO_UNKNOWN_METHOD("passed to, or called on, a method not known to leave it alone"),
  PASSED_TO_DISTRUSTED_METHOD("passed to a method the configuration distrusts (rebyte.distrust)"),
  UNSUPPORTED_USE("used by an instruction the analysis does not model"),
  LIVE_WHEN_SITE_RUNS_AGAIN("the previous array may still be in use when the site runs again"),
  BELOW_MIN_SIZE("constant length below rebyte.min-size: new is cheaper than the pool"),
  METHOD_OVER_BUDGET("method too large to analyse within the cost budget"),
  JSR_RET("method uses JSR/RET subroutines"),
  UNREACHABLE("the site is in dead code"),
  UNSUPPORTED_CLASS("class file the agent does not handle (version, module-info...)"),
  ANALYSIS_FAILED("the analysis failed on this method"),
  METHOD_TOO_LARGE("the rewritten method would exceed 64 KiB; the class is left as it was"),
  TYPE_UNRESOLVED("a type needed to compute stack map frames could not be resolved; the class is left as it was"),
  REWRITE_UNVERIFIABLE("the rewritten class does not pass the agent's own verification; the class is left as it was"),
  REWRITE_FAILED("the rewrite failed; the class is left as it was");

  private final String description;

  Reason(String description) {
    this.description = description;
  }

  /** One human sentence, as shown in the report. */
  public String description() {
    return description;
  }
}
