package dev.rebyte.runtime;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * The lengths the pool serves, as an immutable, sorted table of size classes.
 *
 * <h2>Formula</h2>
 * <pre>
 *   grid     g(k, i) = 2^k + i * 2^(k-2),  i = 0..3      four steps per doubling (Netty, jemalloc);
 *                                                        below 4 only the powers of two
 *   classes  {min} ∪ {g : min &lt; g &lt; max} ∪ {max} ∪ {H}     sorted, without duplicates
 *   H        regionSize / 2 - 16                         only on G1 and only when min &lt;= H &lt;= max
 * </pre>
 * Class {@code c} holds the lengths {@code (size(c-1), size(c)]} (class 0: {@code [min, size(0)]}).
 * An array of length {@code n} belongs to the smallest class whose size is at least {@code n};
 * rounded-mode misses allocate {@code size(c)}, so the waste of a rounded array is below 25%.
 *
 * <p>{@code H} is the largest {@code n} for which {@code new byte[n]} is not humongous on G1: an
 * array takes {@code align8(16 + n)} bytes (16-byte header with compressed class pointers, the
 * default) and is humongous iff that exceeds half a region. A rounded-mode request just under the
 * threshold must not be rounded up into a humongous array, and that is where pooling pays most.
 * With compact object headers (12-byte header) {@code H} is 4 bytes conservative; with
 * {@code -XX:-UseCompressedClassPointers} it would be 8 bytes too large (not detected).
 *
 * <h2>Table with the defaults (min 4 KiB, max 16 MiB): 49 grid classes, then H</h2>
 * <pre>
 *  index        size  index        size  index        size  index        size
 *      0       4,096     13      40,960     26     393,216     39   3,670,016
 *      1       5,120     14      49,152     27     458,752     40   4,194,304
 *      2       6,144     15      57,344     28     524,288     41   5,242,880
 *      3       7,168     16      65,536     29     655,360     42   6,291,456
 *      4       8,192     17      81,920     30     786,432     43   7,340,032
 *      5      10,240     18      98,304     31     917,504     44   8,388,608
 *      6      12,288     19     114,688     32   1,048,576     45  10,485,760
 *      7      14,336     20     131,072     33   1,310,720     46  12,582,912
 *      8      16,384     21     163,840     34   1,572,864     47  14,680,064
 *      9      20,480     22     196,608     35   1,835,008     48  16,777,216
 *     10      24,576     23     229,376     36   2,097,152
 *     11      28,672     24     262,144     37   2,621,440
 *     12      32,768     25     327,680     38   3,145,728
 * </pre>
 * That is {@code 2^k, 1.25 * 2^k, 1.5 * 2^k, 1.75 * 2^k} for {@code k = 12..23}, then 16 MiB.
 * {@code H} is inserted in order and shifts the later indices (50 classes on G1):
 *
 * <pre>
 *   G1 region   1 MiB     2 MiB       4 MiB       8 MiB       16 MiB      32 MiB
 *   H           524,272   1,048,560   2,097,136   4,194,288   8,388,592   16,777,200
 * </pre>
 */
final class SizeClasses {
  /** Bytes before the first element of a {@code byte[]} with compressed class pointers. */
  static final int ARRAY_HEADER = 16;

  private final int[] sizes;
  private final int humongousIndex;

  private SizeClasses(int[] sizes, int humongousIndex) {
    this.sizes = sizes;
    this.humongousIndex = humongousIndex;
  }

  /**
   * Builds the table for {@code [min, max]} and a G1 region of {@code regionSize} bytes
   * ({@code <= 0}: not G1 or unknown, no extra class).
   */
  static SizeClasses create(int min, int max, long regionSize) {
    if (min < 1 || max < min) {
      throw new IllegalArgumentException("bad range [" + min + ", " + max + "]");
    }
    int[] tmp = new int[160];
    int n = 0;
    tmp[n++] = min;
    for (int k = 31 - Integer.numberOfLeadingZeros(min); k <= 30; k++) {
      long base = 1L << k;
      long step = base >> 2;
      for (int i = 0; i < (step == 0 ? 1 : 4); i++) {
        long g = base + i * step;
        if (g > min && g < max) {
          tmp[n++] = (int) g;
        }
      }
    }
    if (max > min) {
      tmp[n++] = max;
    }
    int h = humongousLength(regionSize);
    boolean inRange = h >= min && h <= max;
    if (inRange) {
      tmp[n++] = h;
    }
    int[] sorted = Arrays.copyOf(tmp, n);
    Arrays.sort(sorted);
    int unique = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (unique == 0 || sorted[unique - 1] != sorted[i]) {
        sorted[unique++] = sorted[i];
      }
    }
    int[] sizes = Arrays.copyOf(sorted, unique);
    return new SizeClasses(sizes, inRange ? Arrays.binarySearch(sizes, h) : -1);
  }

  /** The largest non-humongous {@code byte[]} length for a region, or -1 when there is none. */
  static int humongousLength(long regionSize) {
    if (regionSize <= 0) {
      return -1;
    }
    long h = regionSize / 2 - ARRAY_HEADER;
    return h > 0 && h <= Integer.MAX_VALUE ? (int) h : -1;
  }

  /**
   * The running JVM's G1 region size in bytes, or 0 when the collector is not G1 or the value
   * cannot be read. Touches only the HotSpot diagnostic bean, never the platform MBean server.
   */
  static long jvmRegionSize() {
    try {
      HotSpotDiagnosticMXBean hotspot =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      if (hotspot == null || !"true".equals(hotspot.getVMOption("UseG1GC").getValue())) {
        return 0;
      }
      return Long.parseLong(hotspot.getVMOption("G1HeapRegionSize").getValue());
    } catch (RuntimeException | LinkageError e) {
      return 0; // not HotSpot, jdk.management absent, option unknown: no extra class
    }
  }

  /** Number of classes. */
  int count() {
    return sizes.length;
  }

  /** Largest length class {@code index} holds (and the capacity rounded misses allocate). */
  int size(int index) {
    return sizes[index];
  }

  /** Smallest length class {@code index} holds. */
  int lower(int index) {
    return index == 0 ? sizes[0] : sizes[index - 1] + 1;
  }

  int min() {
    return sizes[0];
  }

  int max() {
    return sizes[sizes.length - 1];
  }

  /** Index of the class just under the humongous threshold, or -1. */
  int humongousIndex() {
    return humongousIndex;
  }

  /**
   * The class of {@code length}, or -1 when the pool does not serve it. A binary search over at
   * most ~130 ints; constant-length sites take the same branches every time.
   */
  int classOf(int length) {
    int[] s = sizes;
    if (length < s[0] || length > s[s.length - 1]) {
      return -1;
    }
    int lo = 0;
    int hi = s.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (s[mid] < length) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @Override
  public String toString() {
    return "classes=" + sizes.length + " (" + sizes[0] + ".." + max() + ")"
        + (humongousIndex < 0 ? "" : " humongous-edge=" + sizes[humongousIndex]);
  }
}
