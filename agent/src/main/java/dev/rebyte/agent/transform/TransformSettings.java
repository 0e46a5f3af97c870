package dev.rebyte.agent.transform;

import dev.rebyte.agent.analysis.callee.CalleeSummaries;
import dev.rebyte.agent.analysis.jdk.NonRetainingMethods;
import dev.rebyte.agent.config.AgentConfig;
import dev.rebyte.agent.config.AgentMode;
import dev.rebyte.agent.config.ConfigKey;
import dev.rebyte.agent.select.MethodFilter;
import dev.rebyte.agent.select.MethodPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Settings of the analysis and the rewrite, the one type the pipeline ({@link ClassTransformer})
 * reads. Immutable; built once by {@link #from} (the one translation of the configuration, shared by
 * the agent and the {@code scan}/{@code advise} commands: a scan decides what the agent would with the
 * same keys) or by {@link #builder()}, whose defaults are the configuration's ({@link ConfigKey}).
 * The analysis budgets are not configurable: this class's constants, each with its reason.
 *
 * <table>
 *   <caption>settings</caption>
 *   <tr><th>builder method</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>mode</td><td>REWRITE</td><td>pool proven sites, or only count them (OBSERVE)</td></tr>
 *   <tr><td>minSize</td><td>4096</td><td>constant lengths below are left alone (rebyte.min-size)</td></tr>
 *   <tr><td>methodFilter</td><td>ALL</td><td>methods to analyse</td></tr>
 *   <tr><td>trust / distrust</td><td>none</td><td>{@code com.acme.Codec#decode([BII)I} entries</td></tr>
 *   <tr><td>maxAnalysisCost</td><td>1e9</td><td>skip methods whose instructions x maxLocals^2 exceed it</td></tr>
 *   <tr><td>maxInstructions</td><td>20000</td><td>skip methods with more instructions</td></tr>
 *   <tr><td>rounded</td><td>true</td><td>variable-length sites may share size classes (rebyte.rounded)</td></tr>
 *   <tr><td>owners</td><td>none</td><td>classes whose owner-scoped buffers are pooled (rebyte.owners)</td></tr>
 *   <tr><td>ownerRelease</td><td>none</td><td>release methods besides close() (rebyte.owner.release)</td></tr>
 *   <tr><td>calleeDepth</td><td>4</td><td>callee summaries and allocators this many calls deep</td></tr>
 *   <tr><td>retransforming</td><td>false</td><td>late attach: loaded classes are transformed again</td></tr>
 * </table>
 */
public final class TransformSettings {
  /**
   * Why 1e9: the analysis keeps one frame per instruction and re-merges frames around loops, so its
   * cost grows like instructions x locals x (iterations ~ locals). Scala's optimiser caps the same
   * product at 8000*950*950 (~7e9, about a second with SourceValue); our values are small bit sets, but
   * an agent runs inside class loading, so we stay ~7x below: about 100 ms worst case on a slow core.
   */
  private static final long MAX_ANALYSIS_COST = 1_000_000_000L;
  /** Bounds what the product lets through, a long method with few locals: a frame per instruction. */
  private static final int MAX_INSTRUCTIONS = 20_000;

  /** What accepted sites become. */
  public enum Mode {
    /** {@code new byte[n]} becomes {@code Rebyte.acquire(n, site)}, released at every normal return. */
    REWRITE,
    /** {@code Rebyte.observe(n, site)} is called before the unchanged allocation. */
    OBSERVE;

    /** {@code rebyte.mode}: observe counts, anything else rewrites ({@code off} never gets here). */
    static Mode of(AgentMode mode) {
      return mode == AgentMode.OBSERVE ? OBSERVE : REWRITE;
    }
  }

  private final Mode mode;
  private final int minSize;
  private final MethodFilter methodFilter;
  private final List<MethodPattern> trust;
  private final List<MethodPattern> distrust;
  private final long maxAnalysisCost;
  private final int maxInstructions;
  private final boolean rounded;
  private final NonRetainingMethods methods;
  private final int calleeDepth;
  private final Predicate<String> owners;
  private final List<String> ownerRelease;
  private final boolean retransforming;

  private TransformSettings(Builder b, List<MethodPattern> trust, List<MethodPattern> distrust) {
    this.mode = b.mode;
    this.minSize = b.minSize;
    this.methodFilter = b.methodFilter;
    this.trust = List.copyOf(trust);
    this.distrust = List.copyOf(distrust);
    this.maxAnalysisCost = b.maxAnalysisCost;
    this.maxInstructions = b.maxInstructions;
    this.rounded = b.rounded;
    this.calleeDepth = b.calleeDepth;
    this.owners = b.owners;
    this.ownerRelease = List.copyOf(b.ownerRelease);
    this.retransforming = b.retransforming;
    this.methods = NonRetainingMethods.defaults().with(this.trust, this.distrust);
  }

  /**
   * The agent's settings: {@code rebyte.mode}, {@code min-size}, {@code rounded}, {@code owners},
   * {@code owner.release}, the method selectors, {@code trust} and {@code distrust}.
   *
   * @param lateAttach the agent was attached to a running JVM: loaded classes are retransformed
   */
  public static TransformSettings from(AgentConfig config, boolean lateAttach) {
    return builder()
        .retransforming(lateAttach)
        .mode(Mode.of(config.mode()))
        .minSize(config.minSize())
        .rounded(config.rounded())
        .owners(config::ownersIn)
        .ownerRelease(config.ownerRelease())
        .methodFilter(config.selector()::selectsMethod)
        .trust(config.trust())
        .distrust(config.distrust())
        .build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The defaults: REWRITE, 4096, every method, the built-in list only. */
  public static TransformSettings defaults() {
    return builder().build();
  }

  public Mode mode() { return mode; }

  public int minSize() { return minSize; }

  public MethodFilter methodFilter() { return methodFilter; }

  /** Parsed {@code rebyte.trust} entries. */
  public List<MethodPattern> trust() { return trust; }

  /** Parsed {@code rebyte.distrust} entries. */
  public List<MethodPattern> distrust() { return distrust; }

  public long maxAnalysisCost() { return maxAnalysisCost; }

  public int maxInstructions() { return maxInstructions; }

  /** Whether variable-length sites may be rounded (config key {@code rebyte.rounded}). */
  public boolean rounded() { return rounded; }

  /** How many calls deep callee summaries look (0: one-method analysis, no allocators). */
  public int calleeDepth() { return calleeDepth; }

  /**
   * Whether owner-scoped buffers of this class are pooled; when not, they are still found and
   * reported (OWNERS_DISABLED).
   *
   * @param internalClassName e.g. {@code com/acme/Codec}
   */
  public boolean ownersIn(String internalClassName) { return owners.test(internalClassName); }

  /** Release methods besides {@code close()}: {@code com.acme.Codec#end} entries (dotted class). */
  public List<String> ownerRelease() { return ownerRelease; }

  /**
   * Whether classes are transformed after they were loaded (late attach): then the rewrite must not
   * change a class's schema, so final owner-scoped fields of Java 9+ class files are not pooled.
   */
  public boolean retransforming() { return retransforming; }

  /** The built-in list with the trust and distrust entries applied. */
  public NonRetainingMethods nonRetainingMethods() { return methods; }

  @Override
  public String toString() {
    return "mode=" + mode + " min-size=" + minSize + " trust=" + trust + " distrust=" + distrust
        + " max-analysis-cost=" + maxAnalysisCost + " max-instructions=" + maxInstructions
        + " rounded=" + rounded + " callee-depth=" + calleeDepth + " owner.release=" + ownerRelease;
  }

  /** Mutable, single-use builder; {@link #build()} validates. */
  public static final class Builder {
    private Mode mode = Mode.of(ConfigKey.DEFAULT_MODE);
    private int minSize = ConfigKey.DEFAULT_MIN_SIZE;
    private MethodFilter methodFilter = MethodFilter.ALL;
    private List<String> trust = List.of();
    private List<String> distrust = List.of();
    private long maxAnalysisCost = MAX_ANALYSIS_COST;
    private int maxInstructions = MAX_INSTRUCTIONS;
    private boolean rounded = ConfigKey.DEFAULT_ROUNDED;
    private int calleeDepth = CalleeSummaries.DEFAULT_DEPTH;
    private Predicate<String> owners = ConfigKey.DEFAULT_OWNERS::includes;
    private List<String> ownerRelease = List.of();
    private boolean retransforming;

    private Builder() {}

    /** Classes are (also) transformed after they were loaded: no schema change. Default false. */
    public Builder retransforming(boolean retransforming) {
      this.retransforming = retransforming;
      return this;
    }

    /**
     * Which classes get their owner-scoped buffers pooled (internal names, {@code com/acme/Codec}).
     * Default: none (they are reported as candidates only).
     */
    public Builder owners(Predicate<String> classes) {
      this.owners = Objects.requireNonNull(classes, "owners");
      return this;
    }

    /** Release methods besides {@code close()}, as {@code com.acme.Codec#end}. */
    public Builder ownerRelease(List<String> entries) {
      this.ownerRelease = List.copyOf(entries);
      return this;
    }

    /** Callee summaries and allocators up to this many calls deep; 0 turns them off. Default 4. */
    public Builder calleeDepth(int depth) {
      this.calleeDepth = depth;
      return this;
    }

    public Builder mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** Constant lengths below this are left alone (SKIPPED, BELOW_MIN_SIZE); at least 0. */
    public Builder minSize(int minSize) {
      this.minSize = minSize;
      return this;
    }

    public Builder methodFilter(MethodFilter filter) {
      this.methodFilter = Objects.requireNonNull(filter, "methodFilter");
      return this;
    }

    /** Extra methods known not to keep their array argument ({@code com.acme.Codec#decode([BII)I}). */
    public Builder trust(List<String> entries) {
      this.trust = List.copyOf(entries);
      return this;
    }

    /** Methods removed from the list (built-in or trusted); distrust wins over trust. */
    public Builder distrust(List<String> entries) {
      this.distrust = List.copyOf(entries);
      return this;
    }

    /** Methods with instructions x maxLocals^2 above this are skipped (METHOD_OVER_BUDGET). */
    public Builder maxAnalysisCost(long cost) {
      this.maxAnalysisCost = cost;
      return this;
    }

    /** Methods with more instructions are skipped (METHOD_OVER_BUDGET). */
    public Builder maxInstructions(int count) {
      this.maxInstructions = count;
      return this;
    }

    /**
     * Whether a variable-length site whose capacity the program cannot observe (after bounding)
     * may take any array of its length's class ({@code acquireAtLeast}); false keeps every site exact.
     */
    public Builder rounded(boolean rounded) {
      this.rounded = rounded;
      return this;
    }

    /**
     * @throws IllegalArgumentException for a malformed trust/distrust entry (the message names the
     *     entry and the property) or a negative size or budget
     */
    public TransformSettings build() {
      if (minSize < 0) {
        throw new IllegalArgumentException("rebyte.min-size must be >= 0, was " + minSize);
      }
      if (calleeDepth < 0) {
        throw new IllegalArgumentException("callee depth must be >= 0, was " + calleeDepth);
      }
      if (maxAnalysisCost <= 0 || maxInstructions <= 0) {
        throw new IllegalArgumentException("analysis budget must be positive");
      }
      return new TransformSettings(this, parse("rebyte.trust", trust), parse("rebyte.distrust", distrust));
    }

    private static List<MethodPattern> parse(String property, List<String> entries) {
      List<MethodPattern> out = new ArrayList<>();
      for (String entry : entries) {
        if (entry == null || entry.isBlank()) {
          continue;
        }
        try {
          out.add(MethodPattern.parse(entry));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(property + ": " + e.getMessage(), e);
        }
      }
      return out;
    }
  }
}
