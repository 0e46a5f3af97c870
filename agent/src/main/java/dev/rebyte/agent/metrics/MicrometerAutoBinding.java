package dev.rebyte.agent.metrics;

import dev.rebyte.agent.log.AgentLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;

/**
 * Binds the pool's meters to the application's own {@code Metrics.globalRegistry}, in every class
 * loader that loads Micrometer, whatever Micrometer 1.x version it is, with no code in the
 * application. A Spring Boot service then shows {@code rebyte_*} on {@code /actuator/prometheus}
 * (Boot adds its registry to the global composite by default; NOTES "Global registry").
 *
 * <h2>Mechanism</h2>
 * <ol>
 *   <li>A {@link ClassFileTransformer} that never transforms anything notices the definition of
 *       {@code io.micrometer.core.instrument.Metrics} (one string comparison per loaded class; no
 *       ByteBuddy matcher, because nothing is rewritten). Classes loaded before the agent started
 *       (late attach) are found with {@code getAllLoadedClasses}.</li>
 *   <li>It only queues the class loader: the work happens on one daemon thread, never on the
 *       class-loading thread, so no class is loaded or defined under the loading lock. That thread
 *       waits for {@code Metrics} to be defined and initialised ({@code Class.forName}) and then
 *       works on the loader that <em>defined</em> it.</li>
 *   <li>It defines the binder classes ({@code dev.rebyte.runtime.micrometer.*}, read from the jar
 *       nested in the agent, compiled against Micrometer, not relocated) in that loader, with
 *       {@code ClassLoader.defineClass} made accessible by opening {@code java.lang} to the agent
 *       through {@link Instrumentation#redefineModule} (ByteBuddy's reflection injector would fall
 *       back to {@code sun.misc.Unsafe}, which JDK 24+ warns about). The binder links to the
 *       application's Micrometer through that loader and to the runtime on the boot path.</li>
 *   <li>It calls {@code RebyteMetrics.bindToGlobalRegistry()}, which binds once and keeps the
 *       binder reachable in a static field (Micrometer holds gauges weakly).</li>
 * </ol>
 * Once per defining loader, hence once per global registry. Any failure is logged in one line and
 * the application runs on unchanged. An application without Micrometer never triggers anything.
 */
public final class MicrometerAutoBinding implements ClassFileTransformer {
  /** Built at run time: shade rewrites string constants that look like the packages it relocates. */
  private static final String METRICS = String.join(".", "io", "micrometer", "core", "instrument", "Metrics");
  private static final String METRICS_INTERNAL = METRICS.replace('.', '/');
  private static final String BINDER_JAR = "dev/rebyte/agent/micrometer/rebyte-micrometer.jar";
  private static final String BINDER = String.join(".", "dev", "rebyte", "runtime", "micrometer", "RebyteMetrics");

  private final Instrumentation inst;
  private final Map<ClassLoader, Boolean> handled = Collections.synchronizedMap(new WeakHashMap<>());
  private final ExecutorService worker;
  private volatile List<ClassFile> binderClasses;
  private volatile Method defineClass;

  private MicrometerAutoBinding(Instrumentation inst) {
    this.inst = inst;
    ThreadPoolExecutor executor = new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        task -> {
          Thread t = new Thread(task, "rebyte-micrometer-binding");
          t.setDaemon(true);
          return t;
        });
    this.worker = executor;
  }

  /** Starts watching for Micrometer; binds at once where it is loaded already. */
  public static MicrometerAutoBinding install(Instrumentation inst) {
    MicrometerAutoBinding binding = new MicrometerAutoBinding(inst);
    inst.addTransformer(binding, false);
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (c.getName().equals(METRICS) && c.getClassLoader() != null) {
        binding.schedule(c.getClassLoader());
      }
    }
    return binding;
  }

  @Override
  public byte[] transform(ClassLoader loader, String className, Class<?> redefined,
      ProtectionDomain domain, byte[] classfile) {
    if (loader != null && redefined == null && METRICS_INTERNAL.equals(className)) {
      schedule(loader);
    }
    return null; // observe only
  }

  private void schedule(ClassLoader loader) {
    worker.execute(() -> bind(loader));
  }

  private void bind(ClassLoader initiating) {
    ClassLoader loader = initiating;
    try {
      // Waits until the loading thread has defined Metrics, then initialises it if nobody has.
      loader = Class.forName(METRICS, true, initiating).getClassLoader();
      if (loader == null || handled.put(loader, Boolean.TRUE) != null) {
        return;
      }
      Class<?> binder = defineBinder(loader);
      boolean bound = (Boolean) binder.getMethod("bindToGlobalRegistry").invoke(null);
      if (bound) {
        AgentLog.log("metrics bound to Micrometer's global registry in " + describe(loader));
      }
    } catch (Throwable t) {
      Throwable cause = t instanceof InvocationTargetException && t.getCause() != null
          ? t.getCause() : t;
      AgentLog.log("could not bind metrics to Micrometer in " + describe(loader)
          + " (the application runs on, without rebyte meters there): " + cause);
    }
  }

  /** Defines every binder class in {@code loader} (supertypes first), or finds them defined. */
  private Class<?> defineBinder(ClassLoader loader) throws Exception {
    Method define = defineClassMethod();
    for (ClassFile c : binderClasses()) {
      try {
        Class.forName(c.name, false, loader);
      } catch (ClassNotFoundException absent) {
        define.invoke(loader, c.name, c.bytes, 0, c.bytes.length, null);
      }
    }
    return Class.forName(BINDER, false, loader);
  }

  private Method defineClassMethod() throws Exception {
    Method m = defineClass;
    if (m == null) {
      Module base = Object.class.getModule();
      Module self = MicrometerAutoBinding.class.getModule();
      if (!base.isOpen("java.lang", self)) {
        inst.redefineModule(base, Set.of(), Map.of(), Map.of("java.lang", Set.of(self)), Set.of(), Map.of());
      }
      m = ClassLoader.class.getDeclaredMethod("defineClass", String.class, byte[].class, int.class, int.class,
          ProtectionDomain.class);
      m.setAccessible(true);
      defineClass = m;
    }
    return m;
  }

  /**
   * The binder's class files. Outer classes sort before their nested classes ({@code A} before
   * {@code A$1}) and an enum's constant bodies are nested in it, so every supertype in the package
   * is defined before its subtypes.
   */
  private List<ClassFile> binderClasses() throws IOException {
    List<ClassFile> classes = binderClasses;
    if (classes == null) {
      classes = new ArrayList<>();
      try (InputStream in = MicrometerAutoBinding.class.getClassLoader().getResourceAsStream(BINDER_JAR)) {
        if (in == null) {
          throw new IOException("the agent jar lacks " + BINDER_JAR + " (broken build?)");
        }
        try (JarInputStream jar = new JarInputStream(in)) {
          for (JarEntry e; (e = jar.getNextJarEntry()) != null; ) {
            String name = e.getName();
            if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
              ByteArrayOutputStream bytes = new ByteArrayOutputStream();
              jar.transferTo(bytes);
              classes.add(new ClassFile(name.substring(0, name.length() - 6).replace('/', '.'), bytes.toByteArray()));
            }
          }
        }
      }
      classes.sort(Comparator.comparing((ClassFile c) -> c.name.indexOf('$') < 0 ? c.name : c.name.substring(0, c.name.indexOf('$')))
          .thenComparingInt(c -> c.name.length()).thenComparing(c -> c.name));
      binderClasses = classes;
    }
    return classes;
  }

  private static String describe(ClassLoader loader) {
    return loader == null ? "the boot loader" : loader.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(loader));
  }

  private static final class ClassFile {
    final String name;
    final byte[] bytes;

    ClassFile(String name, byte[] bytes) {
      this.name = name;
      this.bytes = bytes;
    }
  }
}
