package dev.rebyte.benchmarks;

import dev.rebyte.runtime.LeakDetection;
import dev.rebyte.runtime.PoolConfig;
import dev.rebyte.runtime.Rebyte;
import dev.rebyte.runtime.SiteMode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One borrow of a zeroed {@code n}-byte buffer: obtain it, write one byte at each end as a real
 * borrower would, hand it to a {@link Blackhole}, give it back. Each variant is one way of doing that:
 *
 * <ul>
 *   <li>{@code baseline}: {@code new byte[n]}; the array escapes to the Blackhole, so C2 cannot
 *       scalar-replace it (B/op is about {@code align8(16 + n)}).</li>
 *   <li>{@code pool}: {@link Rebyte#acquire(int, int)} + {@link Rebyte#release(byte[], int)} at an
 *       exact-mode, constant-length site, leak detection at its default ({@code SAMPLED}), which is
 *       what users run. {@code min-size} is lowered to 1 KiB so the 1 KiB row is pooled (the default
 *       of 4 KiB would send it to {@code new byte[n]}).</li>
 *   <li>{@code poolNoLeakDetection}: the same with {@code leak-detection=DISABLED}.</li>
 *   <li>{@code clearingFloor}: {@code Arrays.fill(cached, 0)} of a per-thread cached array: the least
 *       any pool that hands out zeroed memory must pay.</li>
 *   <li>{@code netty}: {@code PooledByteBufAllocator(preferDirect=false).heapBuffer(n, n)}, Netty
 *       4.2 defaults (no thread cache on non-event-loop threads, 4 MiB chunks, leak sampling).
 *       Hands out <b>dirty</b> memory.</li>
 *   <li>{@code jetty}: Jetty 12 {@code ArrayByteBufferPool} with factor 4096 and max capacity raised
 *       from the default 64 KiB to 4 MiB so every row is pooled. Hands out <b>dirty</b> memory.</li>
 * </ul>
 *
 * <p>Run (from the repository root; {@code benchmarks/run.sh} does both thread counts):
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package
 * java -jar benchmarks/target/benchmarks.jar AcquireReleaseBenchmark -t 1 -prof gc \
 *     -rf json -rff benchmarks/results/threads-1.json
 * java -jar benchmarks/target/benchmarks.jar AcquireReleaseBenchmark -t 2 -prof gc \
 *     -rf json -rff benchmarks/results/threads-2.json
 * python3 benchmarks/format_results.py benchmarks/results/threads-1.json benchmarks/results/threads-2.json
 * </pre>
 *
 * <p>G1 and a fixed, pre-touched 2 GiB heap are forced: on a 2-CPU machine the JVM would pick
 * Serial GC. With 1 MiB G1 regions, the 1 MiB and 4 MiB rows are humongous allocations.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-XX:+UseG1GC", "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class AcquireReleaseBenchmark {

  /** The size under test, plus the byte written at both ends (a field, so it is not a constant). */
  @State(Scope.Benchmark)
  public static class Sized {
    @Param({"1024", "8192", "65536", "262144", "1048576", "4194304"})
    public int size;

    public byte mark = 42;
  }

  /** The Rebyte pool, configured for this fork, with one registered exact-mode site. */
  @State(Scope.Benchmark)
  public static class Pool extends Sized {
    public int site;

    LeakDetection leakDetection() {
      return LeakDetection.SAMPLED;
    }

    @Setup
    public void setUp() {
      Rebyte.configure(
          PoolConfig.builder().minSize(1024).leakDetection(leakDetection()).build());
      site = Rebyte.registerSite("dev/rebyte/benchmarks/AcquireReleaseBenchmark", "pool",
          "(Ldev/rebyte/benchmarks/AcquireReleaseBenchmark$Pool;Lorg/openjdk/jmh/infra/Blackhole;)V",
          -1, size, SiteMode.EXACT);
    }
  }

  /** The same pool without leak sampling. */
  @State(Scope.Benchmark)
  public static class PoolNoLeakDetection extends Pool {
    @Override
    LeakDetection leakDetection() {
      return LeakDetection.DISABLED;
    }
  }

  /** One array per thread, cleared on every operation. */
  @State(Scope.Thread)
  public static class Cached extends Sized {
    public byte[] array;

    @Setup
    public void setUp() {
      array = new byte[size];
    }
  }

  /** Netty's pooled allocator, heap buffers. */
  @State(Scope.Benchmark)
  public static class Netty extends Sized {
    public PooledByteBufAllocator allocator;

    @Setup
    public void setUp() {
      allocator = new PooledByteBufAllocator(false);
    }
  }

  /** Jetty's array pool, heap buffers, every benchmarked size pooled. */
  @State(Scope.Benchmark)
  public static class Jetty extends Sized {
    public ArrayByteBufferPool pool;

    @Setup
    public void setUp() {
      pool = new ArrayByteBufferPool(0, 4096, 4 * 1024 * 1024);
    }

    @TearDown
    public void tearDown() {
      pool.clear();
    }
  }

  @Benchmark
  public void baseline(Sized s, Blackhole bh) {
    byte[] b = new byte[s.size];
    b[0] = s.mark;
    b[b.length - 1] = s.mark;
    bh.consume(b);
  }

  @Benchmark
  public void pool(Pool s, Blackhole bh) {
    byte[] b = Rebyte.acquire(s.size, s.site);
    b[0] = s.mark;
    b[b.length - 1] = s.mark;
    bh.consume(b);
    Rebyte.release(b, s.site);
  }

  @Benchmark
  public void poolNoLeakDetection(PoolNoLeakDetection s, Blackhole bh) {
    byte[] b = Rebyte.acquire(s.size, s.site);
    b[0] = s.mark;
    b[b.length - 1] = s.mark;
    bh.consume(b);
    Rebyte.release(b, s.site);
  }

  @Benchmark
  public void clearingFloor(Cached s, Blackhole bh) {
    byte[] b = s.array;
    Arrays.fill(b, (byte) 0);
    b[0] = s.mark;
    b[b.length - 1] = s.mark;
    bh.consume(b);
  }

  @Benchmark
  public void netty(Netty s, Blackhole bh) {
    ByteBuf buf = s.allocator.heapBuffer(s.size, s.size);
    buf.setByte(0, s.mark);
    buf.setByte(s.size - 1, s.mark);
    bh.consume(buf);
    buf.release();
  }

  @Benchmark
  public void jetty(Jetty s, Blackhole bh) {
    RetainableByteBuffer rb = s.pool.acquire(s.size, false);
    ByteBuffer bb = rb.getByteBuffer();
    bb.clear(); // acquired buffers are empty in flush mode; open the whole capacity for writing
    bb.put(0, s.mark);
    bb.put(s.size - 1, s.mark);
    bh.consume(bb);
    rb.release();
  }
}
