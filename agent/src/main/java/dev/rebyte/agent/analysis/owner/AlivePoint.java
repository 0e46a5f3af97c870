package dev.rebyte.agent.analysis.owner;

import java.util.Set;
import org.objectweb.asm.tree.MethodInsnNode;

/**
 * A call, or a store into a candidate field, where some tracked arrays are alive: recorded by the
 * {@link MethodScan}, judged by {@link ReleasePoints} once every method is scanned (a copy alive
 * across a call that may release the array, or after the store that replaces it, is
 * LIVE_ACROSS_RELEASE).
 */
final class AlivePoint {
  final MethodInsnNode call; // null for a store
  final FieldState stored; // the field a store replaces, null for a call
  final Set<Tracked> ids;
  final String where;
  final boolean onThis; // a call whose receiver may be this
  final boolean passesThis; // a call with an argument that may be this

  AlivePoint(MethodInsnNode call, FieldState stored, Set<Tracked> ids, String where) {
    this(call, stored, ids, where, false, false);
  }

  AlivePoint(MethodInsnNode call, FieldState stored, Set<Tracked> ids, String where, boolean onThis,
      boolean passesThis) {
    this.onThis = onThis;
    this.passesThis = passesThis;
    this.call = call;
    this.stored = stored;
    this.ids = ids;
    this.where = where;
  }
}
