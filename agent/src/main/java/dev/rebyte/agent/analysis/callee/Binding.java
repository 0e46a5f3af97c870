package dev.rebyte.agent.analysis.callee;

/**
 * What one call is bound to, decided from the class files alone ({@link CallBinder}) and cached per
 * scope under the call's opcode and signature. Immutable.
 *
 * <pre>
 * kind        carries                       the call's target
 * RESOLVED    key owner.name+desc           the summary of that method (computed or cached)
 * TRUSTED     -                             trusted: a trusted JDK method, or its contract binds it
 * UNBOUND     note (why not bound)          unknown; the note is appended to the caller's detail
 * UNREADABLE  summary (opaque)              that summary: a class file on the way is missing
 * </pre>
 */
final class Binding {
  enum Kind { RESOLVED, TRUSTED, UNBOUND, UNREADABLE }

  static final Binding TRUSTED = new Binding(Kind.TRUSTED, null, "", null);

  final Kind kind;
  /** RESOLVED: the method the call runs, {@code owner.name+desc}; null otherwise. */
  final String key;
  /** UNBOUND: why the call is not bound; "" otherwise. */
  final String note;
  /** UNREADABLE: the opaque summary that says which class file is missing; null otherwise. */
  final MethodSummary summary;

  private Binding(Kind kind, String key, String note, MethodSummary summary) {
    this.kind = kind;
    this.key = key;
    this.note = note;
    this.summary = summary;
  }

  static Binding resolved(String key) {
    return new Binding(Kind.RESOLVED, key, "", null);
  }

  static Binding unbound(String note) {
    return new Binding(Kind.UNBOUND, null, note, null);
  }

  static Binding unreadable(MethodSummary opaque) {
    return new Binding(Kind.UNREADABLE, null, "", opaque);
  }

  @Override
  public String toString() {
    return kind == Kind.RESOLVED ? key : kind == Kind.UNBOUND ? "unbound: " + note
        : kind == Kind.UNREADABLE ? summary.toString() : "trusted";
  }
}
