package dev.rebyte.agent.install;

import dev.rebyte.agent.log.AgentLog;
import dev.rebyte.agent.transform.ClassTransformer;
import dev.rebyte.agent.select.ClassSelector;
import dev.rebyte.runtime.Rebyte;
import java.lang.instrument.Instrumentation;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

/**
 * The ByteBuddy wiring. Choices, each for a reason:
 * <ul>
 *   <li>{@code TypeStrategy.Default.DECORATE}: we only apply an ASM visitor; decoration skips
 *       ByteBuddy's rebase/redefine machinery and never adds members;</li>
 *   <li>{@code disableClassFormatChanges()}: the rewrite adds code and locals only, which is also
 *       all that retransformation allows;</li>
 *   <li>{@code DescriptionStrategy.Default.POOL_ONLY} and a cached {@link TypePool} per loader
 *       (weak keys, no computeIfAbsent: NOTES, OTel #17224): matching and frame computation read
 *       class files, never load classes;</li>
 *   <li>{@code ignore(...)} replaces ByteBuddy's default ignore list with our selector, which is
 *       one startsWith per include for unselected classes ({@link ClassSelector}); boot-loader
 *       classes are always ignored; then classes of a loader that does not resolve the runtime to
 *       the boot class path's copy ({@link RuntimeVisibility}), before any analysis;</li>
 *   <li>{@code assureReadEdgeTo(Rebyte)}: transformed classes of named modules get a read edge to
 *       the runtime (NOTES, OTel {@code ExposeAgentBootstrapListener});</li>
 *   <li>{@code RETRANSFORMATION}, at premain too: the transformer must be registered as
 *       retransformation-capable, otherwise the JVM would bake its output into the class bytes it
 *       keeps and {@link #reset} could not restore the originals. On late attach this also
 *       retransforms the selected classes already loaded, one class per batch so one failing class
 *       does not fail the others; at premain it discovers none (none is loaded yet).</li>
 * </ul>
 */
final class TransformerInstallation {
  private TransformerInstallation() {}

  /** ByteBuddy's nexus property, as shade relocated it; see {@link #newAgentBuilder()}. */
  private static final String NEXUS_DISABLED = "dev.rebyte.shaded.bytebuddy.nexus.disabled";

  /** Installs the transformer; keep the result to {@link #reset} it. */
  static ResettableClassFileTransformer install(Instrumentation inst, ClassSelector selector,
      ClassTransformer transformer, TransformRecorder recorder, RuntimeVisibility visibility,
      boolean lateAttach) {
    AgentBuilder builder = newAgentBuilder()
        .disableClassFormatChanges()
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
        .with(new WeakPoolCache())
        .with(new FailureListener(recorder))
        // Rewritten code in a named module calls the runtime in the boot loader's unnamed module,
        // which named modules do not read by default: add the read edge for each transformed module.
        .assureReadEdgeTo(inst, Rebyte.class)
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.RedefinitionStrategy.BatchAllocator.ForFixedSize.ofSize(1))
        // At premain nothing selected is loaded yet: discover no classes, so installing does not
        // describe every JDK class already loaded (which POOL_ONLY would do by parsing class files).
        .with(lateAttach ? AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.SinglePass.INSTANCE
            : new AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Explicit());
    return builder.ignore((type, loader, module, redefined, domain) ->
            // Cheapest first: the name, then the loader check (cached per loader, RuntimeVisibility).
            loader == null || !selector.selectsClass(type.getName())
                || !visibility.rewrites(type.getName(), loader))
        .type((type, loader, module, redefined, domain) -> true)
        .transform((b, type, loader, module, domain) ->
            b.visit(new RebyteVisitorWrapper(transformer, recorder, loader)))
        .installOn(inst);
  }

  /**
   * Removes the transformer and retransforms every loaded class it selects, one per batch: without
   * the transformer the JVM rebuilds each from its original class file. Failures are logged.
   * {@code inst} must be the instance the transformer was installed on.
   */
  static Restored reset(Instrumentation inst, ResettableClassFileTransformer transformer) {
    Restored restored = new Restored();
    restored.removed = transformer.reset(inst, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION,
        AgentBuilder.RedefinitionStrategy.BatchAllocator.ForFixedSize.ofSize(1), restored);
    return restored;
  }

  /** Counts what {@link #reset} retransformed. */
  static final class Restored extends AgentBuilder.RedefinitionStrategy.Listener.Adapter {
    boolean removed;
    int classes;
    int failed;

    @Override
    public void onBatch(int index, List<Class<?>> batch, List<Class<?>> types) {
      classes += batch.size();
    }

    @Override
    public Iterable<? extends List<Class<?>>> onError(int index, List<Class<?>> batch, Throwable throwable,
        List<Class<?>> types) {
      failed += batch.size();
      classes -= batch.size();
      AgentLog.log("could not restore " + batch + ": " + throwable);
      return Collections.emptyList();
    }
  }

  /**
   * The nexus lets ByteBuddy run initialisers of types it adds; decoration adds none. Creating it
   * probes {@code sun.misc.Unsafe}, which JDK 24+ warns about on standard error, so it is disabled
   * while the builder is created (as the OpenTelemetry agent does), and the property restored.
   */
  private static AgentBuilder newAgentBuilder() {
    String previous = System.getProperty(NEXUS_DISABLED);
    System.setProperty(NEXUS_DISABLED, "true");
    try {
      return new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED));
    } finally {
      if (previous == null) {
        System.clearProperty(NEXUS_DISABLED);
      } else {
        System.setProperty(NEXUS_DISABLED, previous);
      }
    }
  }

  /** Logs and counts what ByteBuddy reports as an error; the JVM keeps the original class then. */
  private static final class FailureListener extends AgentBuilder.Listener.Adapter {
    private final TransformRecorder recorder;

    FailureListener(TransformRecorder recorder) {
      this.recorder = recorder;
    }

    @Override
    public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded,
        Throwable throwable) {
      recorder.fail(typeName, loader, "ByteBuddy could not transform it", throwable);
    }
  }

  /** One {@link TypePool} cache per class loader, held weakly so class loaders can be collected. */
  private static final class WeakPoolCache extends AgentBuilder.PoolStrategy.WithTypePoolCache {
    private static final Object BOOT = new Object();
    private final Map<Object, TypePool.CacheProvider> caches = new WeakHashMap<>();

    WeakPoolCache() {
      super(TypePool.Default.ReaderMode.FAST);
    }

    @Override
    protected TypePool.CacheProvider locate(ClassLoader loader) {
      Object key = loader == null ? BOOT : loader;
      synchronized (caches) {
        TypePool.CacheProvider cache = caches.get(key);
        if (cache == null) {
          cache = new TypePool.CacheProvider.Simple();
          caches.put(key, cache);
        }
        return cache;
      }
    }
  }
}
