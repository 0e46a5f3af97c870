package dev.rebyte.agent.decision;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.objectweb.asm.Type;

/**
 * How a call that a rounded site's array is passed to is kept from seeing more than the logical
 * length {@code n}: a whole-array form rewritten to its bounded equivalent, or a ranged form whose
 * ranges are checked against {@code n}. The table of which calls have which form is JDK knowledge
 * and lives in {@code analysis.jdk.BoundedForms}; the rewrite reads only this value.
 */
public final class BoundedForm {
  /** A ranged array parameter: which argument, where its range is, whether the callee writes it. */
  public static final class Range {
    private final int array;
    private final int start;
    private final int end;
    private final boolean offsetLength;
    private final boolean writes;

    private Range(int array, int start, int end, boolean offsetLength, boolean writes) {
      this.array = array;
      this.start = start;
      this.end = end;
      this.offsetLength = offsetLength;
      this.writes = writes;
    }

    /** {@code (off, len)}: the array at argument {@code array}, offset and length at {@code off}, {@code len}. */
    public static Range offLen(int array, int off, int len, boolean writes) {
      return new Range(array, off, len, true, writes);
    }

    /** {@code [from, to)}: the array at argument {@code array}; {@code from} -1 means 0 (copyOf). */
    public static Range fromTo(int array, int from, int to, boolean writes) {
      return new Range(array, from, to, false, writes);
    }

    /** Argument index (receiver excluded) of the array. */
    public int array() { return array; }

    /** Argument index of the offset or from-index; -1 when it is implicitly 0 (copyOf). */
    public int start() { return start; }

    /** Argument index of the length (offsetLength) or of the exclusive to-index. */
    public int end() { return end; }

    /** {@code (off, len)} when true, {@code [from, to)} when false. */
    public boolean offsetLength() { return offsetLength; }

    /** Whether the callee may write into the array. */
    public boolean writes() { return writes; }
  }

  private final String boundedName;
  private final String boundedDescriptor;
  private final List<Range> ranges;
  private final int[] wholeArrays;

  private BoundedForm(String boundedName, String boundedDescriptor, List<Range> ranges, int[] wholeArrays) {
    this.boundedName = boundedName;
    this.boundedDescriptor = boundedDescriptor;
    this.ranges = ranges;
    this.wholeArrays = wholeArrays;
  }

  /** Whether this is a whole-array form, rewritten to {@link #boundedName()}{@link #boundedDescriptor()}. */
  public boolean whole() { return boundedDescriptor != null; }

  public String boundedName() { return boundedName; }

  /** The bounded form's descriptor: {@code II} inserted after every {@code [B} argument. */
  public String boundedDescriptor() { return boundedDescriptor; }

  /** Ranged forms: the array arguments and their ranges. Empty for whole forms. */
  public List<Range> ranges() { return ranges; }

  /** Whole forms: the argument indexes of the {@code [B} parameters. Empty for ranged forms. */
  public int[] wholeArrays() { return wholeArrays.clone(); }

  /** Whether argument {@code index} (receiver excluded) is an array this form bounds. */
  public boolean boundsArgument(int index) {
    for (int a : wholeArrays) {
      if (a == index) {
        return true;
      }
    }
    for (Range r : ranges) {
      if (r.array == index) {
        return true;
      }
    }
    return false;
  }

  /** A ranged form: the call is kept, each range is checked against {@code n}. */
  public static BoundedForm ranged(Range... ranges) {
    return new BoundedForm(null, null, Collections.unmodifiableList(List.of(ranges)), new int[0]);
  }

  /**
   * A whole-array form of {@code descriptor}, rewritten to {@code boundedName} with {@code II}
   * inserted after every {@code [B} parameter.
   */
  public static BoundedForm whole(String descriptor, String boundedName) {
    Type[] args = Type.getArgumentTypes(descriptor);
    List<Integer> arrays = new ArrayList<>();
    StringBuilder bounded = new StringBuilder("(");
    for (int i = 0; i < args.length; i++) {
      bounded.append(args[i].getDescriptor());
      if (args[i].getDescriptor().equals("[B")) {
        arrays.add(i);
        bounded.append("II");
      }
    }
    bounded.append(')').append(Type.getReturnType(descriptor).getDescriptor());
    return new BoundedForm(boundedName, bounded.toString(), List.of(),
        arrays.stream().mapToInt(Integer::intValue).toArray());
  }
}
