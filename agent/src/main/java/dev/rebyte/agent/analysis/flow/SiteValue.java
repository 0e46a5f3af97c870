package dev.rebyte.agent.analysis.flow;

import java.util.Arrays;
import org.objectweb.asm.tree.analysis.Value;

/**
 * An abstract value: its size in slots, the set of allocation sites (indexes into the method's
 * candidate list) whose array it may be, and whether it may also be something else ("foreign": a
 * parameter, a field, null, a call's result, an uninitialised slot...). Escape needs only the set;
 * rounded mode needs the flag too, because a capacity observation can be bounded by a site's length
 * only when the value is certainly that site's array. Immutable; equality by content, because ASM
 * pushes the same object on DUP and compares frames with {@code equals} to detect the fixpoint.
 */
public final class SiteValue implements Value {
  private static final long[] NONE = new long[0];
  /** Not one of our arrays (foreign). */
  static final SiteValue EMPTY_1 = new SiteValue(1, NONE, true);
  static final SiteValue EMPTY_2 = new SiteValue(2, NONE, true);

  private final int size;
  private final long[] sites;
  private final boolean foreign;

  private SiteValue(int size, long[] sites, boolean foreign) {
    this.size = size;
    this.sites = sites;
    this.foreign = foreign;
  }

  static SiteValue empty(int size) {
    return size == 2 ? EMPTY_2 : EMPTY_1;
  }

  static SiteValue of(int site) {
    long[] bits = new long[(site >>> 6) + 1];
    bits[site >>> 6] = 1L << site;
    return new SiteValue(1, bits, false);
  }

  @Override
  public int getSize() {
    return size;
  }

  public boolean isEmpty() {
    return sites.length == 0;
  }

  /** Whether the value may be something other than the arrays of {@link #sites()}. */
  public boolean mayBeForeign() {
    return foreign;
  }

  /** The one site whose array this certainly is, or -1 (several sites, or possibly foreign). */
  public int onlySite() {
    int[] s = sites();
    return !foreign && s.length == 1 ? s[0] : -1;
  }

  /** Whether the value is certainly, or possibly, only the array of {@code site} (no other site). */
  boolean isOnly(int site) {
    int word = site >>> 6;
    for (int i = 0; i < sites.length; i++) {
      if (sites[i] != (i == word ? 1L << site : 0L)) {
        return false;
      }
    }
    return word < sites.length;
  }

  public boolean contains(int site) {
    int word = site >>> 6;
    return word < sites.length && (sites[word] & (1L << site)) != 0;
  }

  /** Site indexes in increasing order. */
  public int[] sites() {
    int n = 0;
    for (long w : sites) {
      n += Long.bitCount(w);
    }
    int[] out = new int[n];
    int k = 0;
    for (int i = 0; i < sites.length; i++) {
      for (long w = sites[i]; w != 0; w &= w - 1) {
        out[k++] = (i << 6) + Long.numberOfTrailingZeros(w);
      }
    }
    return out;
  }

  /** The union; {@code this} itself when {@code other} adds nothing (cheap fixpoint test). */
  SiteValue union(SiteValue other) {
    int newSize = size == other.size ? size : 1;
    if (newSize == size && covers(other)) {
      return this;
    }
    if (newSize == other.size && other.covers(this)) {
      return other;
    }
    long[] bits = Arrays.copyOf(sites, Math.max(sites.length, other.sites.length));
    for (int i = 0; i < other.sites.length; i++) {
      bits[i] |= other.sites[i];
    }
    return new SiteValue(newSize, bits, foreign || other.foreign);
  }

  private boolean covers(SiteValue other) {
    if (other.foreign && !foreign) {
      return false;
    }
    if (other.sites.length > sites.length) {
      for (int i = sites.length; i < other.sites.length; i++) {
        if (other.sites[i] != 0) {
          return false;
        }
      }
    }
    for (int i = 0; i < Math.min(sites.length, other.sites.length); i++) {
      if ((other.sites[i] & ~sites[i]) != 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SiteValue)) {
      return false;
    }
    SiteValue v = (SiteValue) o;
    return size == v.size && covers(v) && v.covers(this);
  }

  @Override
  public int hashCode() {
    int h = foreign ? 2 * size : size;
    for (long w : sites) {
      h = 31 * h + Long.hashCode(w); // trailing zero words change the hash: equal sets are kept trimmed
    }
    return h;
  }

  @Override
  public String toString() {
    return (size == 2 ? "2" : "") + Arrays.toString(sites()) + (foreign && sites.length > 0 ? "+?" : "");
  }
}
