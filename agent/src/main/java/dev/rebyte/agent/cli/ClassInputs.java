package dev.rebyte.agent.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The class files named on a command line: jars, directories of classes, class paths joined with
 * the platform separator, and {@code dir/*} (every jar in a directory, as {@code java -cp} reads it).
 * Entries under {@code META-INF/} (multi-release variants) and {@code module-info.class} are left
 * out: the agent sees the class the JVM loads, the base entry.
 */
final class ClassInputs {
  /** Receives one class file. */
  interface ClassFileVisitor {
    void visit(String className, byte[] classFile) throws IOException;
  }

  private final List<Path> entries;

  private ClassInputs(List<Path> entries) {
    this.entries = entries;
  }

  /** @throws UsageException naming a path that does not exist or is neither a jar nor a directory */
  static ClassInputs of(List<String> arguments) throws UsageException {
    List<Path> entries = new ArrayList<>();
    for (String argument : arguments) {
      for (String part : argument.split(File.pathSeparator)) {
        if (part.isEmpty()) {
          continue;
        }
        if (part.endsWith(File.separator + "*") || part.equals("*")) {
          Path dir = Paths.get(part.substring(0, part.length() - 1).isEmpty() ? "." : part.substring(0, part.length() - 1));
          if (!Files.isDirectory(dir)) {
            throw new UsageException("no such directory: " + dir);
          }
          try (Stream<Path> jars = Files.list(dir)) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(entries::add);
          } catch (IOException e) {
            throw new UsageException("cannot list " + dir + ": " + e.getMessage());
          }
          continue;
        }
        Path path = Paths.get(part);
        if (!Files.exists(path)) {
          throw new UsageException("no such file or directory: " + part);
        }
        if (!Files.isDirectory(path) && !isJar(path)) {
          throw new UsageException("not a jar or a directory of classes: " + part);
        }
        entries.add(path);
      }
    }
    if (entries.isEmpty()) {
      throw new UsageException("no classes to read: give a jar, a directory or a class path");
    }
    return new ClassInputs(entries);
  }

  private static boolean isJar(Path path) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".jar") || name.endsWith(".zip") || name.endsWith(".war");
  }

  List<Path> entries() {
    return entries;
  }

  /**
   * A loader over the inputs for {@code TypeHierarchy.fromResources}: only read as resources, never
   * used to load a class. Its parent is the boot loader; the hierarchy falls back to the system
   * loader for the rest of the JDK.
   */
  URLClassLoader resourceLoader() throws IOException {
    URL[] urls = new URL[entries.size()];
    for (int i = 0; i < urls.length; i++) {
      urls[i] = entries.get(i).toUri().toURL();
    }
    return new URLClassLoader(urls, null);
  }

  /** Visits every class file, inputs in order, each in name order. */
  void forEachClass(ClassFileVisitor visitor) throws IOException {
    for (Path entry : entries) {
      if (Files.isDirectory(entry)) {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(entry)) {
          walk.filter(p -> p.toString().endsWith(".class")).sorted().forEach(files::add);
        }
        for (Path file : files) {
          String relative = entry.relativize(file).toString().replace(File.separatorChar, '/');
          if (keep(relative)) {
            visitor.visit(className(relative), Files.readAllBytes(file));
          }
        }
      } else {
        try (JarFile jar = new JarFile(entry.toFile())) {
          List<JarEntry> classes = new ArrayList<>();
          for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            JarEntry je = e.nextElement();
            if (!je.isDirectory() && je.getName().endsWith(".class") && keep(je.getName())) {
              classes.add(je);
            }
          }
          classes.sort(Comparator.comparing(JarEntry::getName));
          for (JarEntry je : classes) {
            try (InputStream in = jar.getInputStream(je)) {
              visitor.visit(className(je.getName()), in.readAllBytes());
            }
          }
        }
      }
    }
  }

  private static boolean keep(String relative) {
    return !relative.startsWith("META-INF/") && !relative.endsWith("module-info.class");
  }

  private static String className(String relative) {
    return relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
  }
}
