package dev.rebyte.it.corpus;

import dev.rebyte.agent.decision.Decision;
import dev.rebyte.agent.decision.Reason;
import dev.rebyte.agent.decision.SiteDecision;
import dev.rebyte.agent.transform.ClassTransformer;
import dev.rebyte.agent.transform.TransformSettings;
import dev.rebyte.agent.transform.TransformResult;
import dev.rebyte.agent.classfile.TypeHierarchy;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;

/**
 * Forked-JVM main of {@code CorpusIT}: runs the agent's transformation (rewrite mode, every method,
 * {@code min-size=1}) over every class of each jar given, then makes HotSpot verify every rewritten
 * class, and prints one result line per jar.
 *
 * <p>Usage: {@code CorpusVerifier CLASSPATH_DIR_OR_JARS... -- JAR...}: jars after {@code --} are the
 * subjects; everything (subjects and the jars before {@code --}) forms the class path their classes
 * see.
 *
 * <h2>How verification is forced</h2>
 * HotSpot verifies a class when it <em>links</em> it, not when it loads it:
 * {@code Class.forName(name, false, loader)} only loads (the negative control shows a broken class
 * passing it). Initialising would run static initialisers of library code, so instead the harness
 * calls {@code Class.getDeclaredFields()}, which links the class first (HotSpot's
 * {@code JVM_GetClassDeclaredFields} calls {@code link_class}) and so runs the verifier, without
 * initialising it. Each rewritten class is defined, from its rewritten bytes, by a child-first
 * {@link SubjectLoader} over the subject jar and its dependencies (every other class comes from the
 * original jars), and the JVM runs with {@code -XX:+BytecodeVerificationRemote} (ForkedJvm adds it).
 * A {@code LinkageError} other than {@code VerifyError} (a missing optional dependency, say) counts
 * as a failure unless the original class fails the same way in an equal loader of the original
 * bytes: then the class is "not verifiable here" and listed.
 *
 * <h2>Passes</h2>
 * Every subject goes through three passes, each printing one line per jar: {@code JAR} (owners
 * off, the default), {@code OWNERS} (the same with {@code rebyte.owners=true}, issue 10)
 * and {@code STRESS} (see below). Each line counts the sites by decision, the accepted ones by reason
 * ({@code accepted=NON_ESCAPING:n,...}) and the rejected and skipped ones by reason.
 *
 * <h2>Negative controls</h2>
 * With {@code --controls}, before the corpus: (1) a hand-assembled class whose method returns
 * {@code null} as an {@code int} and (2) the first rewritten class of the first subject re-emitted
 * without its stack map frames (what a rewrite that forgot COMPUTE_FRAMES would produce) go through
 * the same path and must come out as VerifyError; control (1) must also pass
 * {@code Class.forName(name, false, loader)} silently, proving that loading alone does not verify.
 */
public final class CorpusVerifier {
  private CorpusVerifier() {}

  public static void main(String[] args) throws Exception {
    List<Path> classPath = new ArrayList<>();
    List<Path> subjects = new ArrayList<>();
    boolean controls = false;
    boolean afterSeparator = false;
    for (String a : args) {
      if (a.equals("--controls")) {
        controls = true;
      } else if (a.equals("--")) {
        afterSeparator = true;
      } else {
        (afterSeparator ? subjects : classPath).add(Paths.get(a));
      }
    }
    List<Path> all = new ArrayList<>(subjects);
    all.addAll(classPath);
    System.out.println("JVM " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    boolean controlsDone = !controls;
    for (Path jar : subjects) {
      JarResult r = run(jar, all, TransformSettings.builder().minSize(1).build(), "JAR");
      if (!controlsDone) {
        negativeControls(jar, all, r);
        controlsDone = true;
      }
      System.out.println(r.line());
      r.problems.forEach(System.out::println);
    }
    // Owners (issue 10): the first pass again with owner-scoped buffers pooled in every class, so that
    // the rewritten constructors, close() methods and field stores are verified too, and the report can
    // set the accepted sites by reason with owners off (JAR) beside those with owners on (OWNERS).
    for (Path jar : subjects) {
      JarResult r = run(jar, all, TransformSettings.builder().minSize(1).owners(c -> true).build(), "OWNERS");
      System.out.println(r.line());
      r.problems.forEach(System.out::println);
    }
    // Stress: trust every method the jar calls with a byte[] in its descriptor, so that sites the
    // analysis rejects only for an unknown callee are rewritten too. Not a sound configuration (the
    // callees may keep the array), but the verifier judges bytecode, not semantics: this widens the
    // set of rewritten methods (loops, handlers, many locals) the verifier sees.
    for (Path jar : subjects) {
      List<String> trust = byteArrayCallees(jar);
      JarResult r = run(jar, all, TransformSettings.builder().minSize(1).trust(trust).build(), "STRESS");
      System.out.println(r.line());
      r.problems.forEach(System.out::println);
    }
  }

  /** {@code owner#name(descriptor)} of every call in the jar whose descriptor mentions byte[]. */
  static List<String> byteArrayCallees(Path jar) throws IOException {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (byte[] c : readClasses(jar).values()) {
      new ClassReader(c).accept(new org.objectweb.asm.ClassVisitor(org.objectweb.asm.Opcodes.ASM9) {
        @Override
        public org.objectweb.asm.MethodVisitor visitMethod(int access, String name, String descriptor,
            String signature, String[] exceptions) {
          return new org.objectweb.asm.MethodVisitor(org.objectweb.asm.Opcodes.ASM9) {
            @Override
            public void visitMethodInsn(int opcode, String owner, String callee, String desc, boolean itf) {
              if (!owner.startsWith("[") && desc.contains("[B")) {
                out.add(owner.replace('/', '.') + "#" + callee + desc);
              }
            }
          };
        }
      }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    }
    return new ArrayList<>(out);
  }

  /** Transforms every class of {@code jar}, then verifies each changed one. */
  static JarResult run(Path jar, List<Path> classPath, TransformSettings options, String label) throws Exception {
    JarResult r = new JarResult(jar.getFileName().toString(), label);
    Map<String, byte[]> originals = readClasses(jar);
    r.classes = originals.size();
    AtomicInteger ids = new AtomicInteger();
    ClassTransformer transformer = new ClassTransformer(options, (site, mode) -> ids.getAndIncrement());
    Map<String, byte[]> rewritten = new TreeMap<>();
    long start = System.nanoTime();
    try (URLClassLoader resources = new URLClassLoader(urls(classPath), null)) {
      TypeHierarchy hierarchy = TypeHierarchy.fromResources(resources);
      for (Map.Entry<String, byte[]> e : originals.entrySet()) {
        TransformResult t = transformer.transform(e.getValue(), hierarchy);
        for (SiteDecision s : t.sites()) {
          r.sites++;
          r.decisions.merge(s.decision(), 1, Integer::sum);
          if (s.decision() == Decision.POOLED || s.decision() == Decision.OBSERVED) {
            r.accepted.merge(s.reason(), 1, Integer::sum);
          } else if (s.decision() == Decision.REJECTED) {
            r.rejections.merge(s.reason(), 1, Integer::sum);
          } else if (s.decision() == Decision.SKIPPED) {
            r.skips.merge(s.reason(), 1, Integer::sum);
          }
        }
        if (t.failure() != null) {
          r.failedOpen.add(e.getKey() + " " + t.classReason() + " " + t.failure());
        }
        if (t.changed()) {
          rewritten.put(e.getKey(), t.bytes());
        }
      }
    }
    r.transformMillis = (System.nanoTime() - start) / 1_000_000;
    start = System.nanoTime();
    r.rewrittenClasses = rewritten.size();
    verify(jar, classPath, originals, rewritten, r);
    r.verifyMillis = (System.nanoTime() - start) / 1_000_000;
    return r;
  }

  private static void verify(Path jar, List<Path> classPath, Map<String, byte[]> originals,
      Map<String, byte[]> rewritten, JarResult r) throws IOException {
    try (SubjectLoader loader = new SubjectLoader(urls(classPath), rewritten)) {
      for (String name : rewritten.keySet()) {
        Throwable t = link(name, loader);
        if (t == null) {
          r.verified++;
        } else if (t instanceof VerifyError) {
          r.verifyErrors++;
          r.problems.add("VERIFY-ERROR " + name + " " + oneLine(t));
        } else {
          Throwable original;
          try (SubjectLoader plain = new SubjectLoader(urls(classPath), Map.of())) {
            original = link(name, plain);
          }
          if (original != null && original.getClass() == t.getClass()) {
            r.unverifiable++;
            r.problems.add("NOT-VERIFIABLE " + name + " (the original fails too) " + oneLine(t));
          } else {
            r.verifyErrors++;
            r.problems.add("LINK-ERROR " + name + " " + oneLine(t) + "; original: " + original);
          }
        }
      }
    }
  }

  /** Loads without initialising, then links (which verifies): null when it verified. */
  static Throwable link(String name, ClassLoader loader) {
    try {
      Class<?> c = Class.forName(name, false, loader);
      c.getDeclaredFields(); // links: HotSpot verifies here
      return null;
    } catch (LinkageError | ClassNotFoundException | TypeNotPresentException e) {
      return e;
    }
  }

  private static void negativeControls(Path jar, List<Path> classPath, JarResult first) throws IOException {
    String broken = "dev.rebyte.it.corpus.control.ReturnsNullAsInt";
    try (SubjectLoader loader = new SubjectLoader(urls(classPath), Map.of(broken, BrokenClass.returnsNullAsInt(broken)))) {
      String loadOnly;
      try {
        Class.forName(broken, false, loader);
        loadOnly = "loaded without error";
      } catch (Throwable t) {
        loadOnly = "loading failed: " + oneLine(t);
      }
      System.out.println("CONTROL load-only " + broken + ": " + loadOnly);
      System.out.println("CONTROL linked " + broken + ": " + describe(link(broken, loader)));
    }
    // A real rewritten class of the subject, emitted again without StackMapTable frames.
    Map<String, byte[]> originals = readClasses(jar);
    TransformSettings options = TransformSettings.builder().minSize(1).build();
    ClassTransformer transformer = new ClassTransformer(options, (site, mode) -> 0);
    try (URLClassLoader resources = new URLClassLoader(urls(classPath), null)) {
      TypeHierarchy hierarchy = TypeHierarchy.fromResources(resources);
      for (Map.Entry<String, byte[]> e : originals.entrySet()) {
        TransformResult t = transformer.transform(e.getValue(), hierarchy);
        if (t.changed() && (new ClassReader(t.bytes()).readShort(6) >= 51) && hasBranches(t.bytes())) {
          ClassWriter w = new ClassWriter(0);
          new ClassReader(t.bytes()).accept(w, ClassReader.SKIP_FRAMES);
          try (SubjectLoader loader = new SubjectLoader(urls(classPath), Map.of(e.getKey(), w.toByteArray()))) {
            System.out.println("CONTROL rewritten-without-frames " + e.getKey() + ": "
                + describe(link(e.getKey(), loader)));
          }
          try (SubjectLoader loader = new SubjectLoader(urls(classPath), Map.of(e.getKey(), t.bytes()))) {
            System.out.println("CONTROL rewritten " + e.getKey() + ": " + describe(link(e.getKey(), loader)));
          }
          return;
        }
      }
    }
    System.out.println("CONTROL rewritten-without-frames: no candidate class in " + first.jar);
  }

  /** Whether the class carries stack map frames (so it has branches, and cannot verify without them). */
  private static boolean hasBranches(byte[] bytes) {
    return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).contains("StackMapTable");
  }

  private static String describe(Throwable t) {
    return t == null ? "verified" : t instanceof VerifyError ? "VerifyError " + oneLine(t) : "other " + oneLine(t);
  }

  private static String oneLine(Throwable t) {
    String m = String.valueOf(t.getMessage());
    int nl = m.indexOf('\n');
    String first = nl < 0 ? m : m.substring(0, nl);
    // HotSpot's detail ("Location: ... Reason: ...") follows on the next lines: keep the gist.
    String reason = "";
    int at = m.indexOf("Reason:");
    if (at >= 0) {
      int end = m.indexOf('\n', at + 8);
      int loc = m.indexOf("Location:");
      String location = loc < 0 ? "" : m.substring(loc + 9, Math.max(loc + 9, m.indexOf('\n', loc + 10))).trim();
      reason = " [" + location + ": " + m.substring(at + 7, end < 0 ? m.length() : end).trim() + "]";
    }
    return t.getClass().getName() + ": " + first + reason;
  }

  static Map<String, byte[]> readClasses(Path jar) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
        JarEntry entry = e.nextElement();
        String n = entry.getName();
        if (n.endsWith(".class") && !n.startsWith("META-INF/") && !n.endsWith("module-info.class")
            && !n.endsWith("package-info.class")) {
          try (InputStream in = file.getInputStream(entry)) {
            out.put(n.substring(0, n.length() - 6).replace('/', '.'), in.readAllBytes());
          }
        }
      }
    }
    return out;
  }

  static URL[] urls(List<Path> paths) {
    return paths.stream().map(p -> {
      try {
        return p.toUri().toURL();
      } catch (IOException e) {
        throw new IllegalArgumentException(p.toString(), e);
      }
    }).toArray(URL[]::new);
  }

  /**
   * Child-first over the subject and its dependencies: the classes in {@code replaced} are defined
   * from the given bytes, every other class of those jars from the jar; only the JDK (and, for
   * anything not in the jars, the application class path) comes from the parent.
   */
  static final class SubjectLoader extends URLClassLoader {
    static {
      registerAsParallelCapable();
    }

    private final Map<String, byte[]> replaced;

    SubjectLoader(URL[] urls, Map<String, byte[]> replaced) {
      super(urls, SubjectLoader.class.getClassLoader());
      this.replaced = replaced;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          byte[] bytes = replaced.get(name);
          if (bytes == null && !name.startsWith("java.") && !name.startsWith("dev.rebyte.runtime.")) {
            bytes = bytesOf(name);
          }
          // defineClass for every class of the jars, not URLClassLoader.findClass: a rewritten class
          // defined next to the jar's own would otherwise trip package sealing (xz is sealed).
          c = bytes != null ? defineClass(name, bytes, 0, bytes.length) : getParent().loadClass(name);
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }

    private byte[] bytesOf(String name) {
        URL url = findResource(name.replace('.', '/') + ".class");
      if (url == null) {
        return null;
      }
      try (InputStream in = url.openStream()) {
        return in.readAllBytes();
      } catch (IOException e) {
        return null;
      }
    }
  }

  /** What happened to one jar. */
  static final class JarResult {
    final String jar;
    final String label;
    int classes;
    int rewrittenClasses;
    int sites;
    int verified;
    int verifyErrors;
    int unverifiable;
    long transformMillis;
    long verifyMillis;
    final Map<Decision, Integer> decisions = new EnumMap<>(Decision.class);
    final Map<Reason, Integer> accepted = new EnumMap<>(Reason.class);
    final Map<Reason, Integer> rejections = new EnumMap<>(Reason.class);
    final Map<Reason, Integer> skips = new EnumMap<>(Reason.class);
    final List<String> failedOpen = new ArrayList<>();
    final List<String> problems = new ArrayList<>();

    JarResult(String jar, String label) {
      this.jar = jar;
      this.label = label;
    }

    /** {@code LABEL name key=value ...}; reasons as {@code REASON:count,...} by decreasing count. */
    String line() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("classes", classes);
      f.put("sites", sites);
      f.put("candidates", sites - skips.getOrDefault(Reason.BELOW_MIN_SIZE, 0));
      f.put("pooled", decisions.getOrDefault(Decision.POOLED, 0));
      f.put("rejected", decisions.getOrDefault(Decision.REJECTED, 0));
      f.put("skipped", decisions.getOrDefault(Decision.SKIPPED, 0));
      f.put("rewrittenClasses", rewrittenClasses);
      f.put("verified", verified);
      f.put("verifyErrors", verifyErrors);
      f.put("notVerifiable", unverifiable);
      f.put("failedOpen", failedOpen.size());
      f.put("transformMs", transformMillis);
      f.put("verifyMs", verifyMillis);
      f.put("accepted", counts(accepted));
      f.put("rejections", counts(rejections));
      f.put("skips", counts(skips));
      failedOpen.forEach(x -> problems.add("FAILED-OPEN " + x));
      return label + " " + jar + " " + f.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining(" "));
    }

    private static String counts(Map<Reason, Integer> m) {
      String s = m.entrySet().stream()
          .sorted(Map.Entry.<Reason, Integer>comparingByValue(Comparator.reverseOrder()))
          .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
      return s.isEmpty() ? "-" : s;
    }
  }
}
