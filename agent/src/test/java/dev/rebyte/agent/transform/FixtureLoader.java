package dev.rebyte.agent.transform;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.UnaryOperator;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.SimpleRemapper;

/**
 * Child-first loader for the fixture package: each fixture class is read from the test class path,
 * passed through {@code transform} and defined here. {@code dev.rebyte.runtime.Rebyte} is defined
 * from {@link PoisonRuntime}, renamed, so rewritten code talks to a pool that exposes misuse.
 * Everything else is delegated to the parent. No agent involved.
 */
final class FixtureLoader extends ClassLoader {
  static final String FIXTURES = "dev.rebyte.agent.fixtures.";
  private static final String RUNTIME = "dev.rebyte.runtime.Rebyte";

  private final UnaryOperator<byte[]> transform;

  FixtureLoader(UnaryOperator<byte[]> transform) {
    super(FixtureLoader.class.getClassLoader());
    this.transform = transform;
  }

  static byte[] bytesOf(String className) {
    String resource = className.replace('.', '/') + ".class";
    try (InputStream in = FixtureLoader.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no class file for " + className);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        if (name.startsWith(FIXTURES)) {
          byte[] bytes = transform.apply(bytesOf(name));
          c = defineClass(name, bytes, 0, bytes.length);
        } else if (name.equals(RUNTIME)) {
          byte[] bytes = poisonRuntime();
          c = defineClass(name, bytes, 0, bytes.length);
        } else {
          return super.loadClass(name, resolve);
        }
      }
      if (resolve) {
        resolveClass(c);
      }
      return c;
    }
  }

  private static byte[] poisonRuntime() {
    ClassWriter writer = new ClassWriter(0);
    new ClassReader(bytesOf(PoisonRuntime.class.getName())).accept(new ClassRemapper(writer,
        new SimpleRemapper(PoisonRuntime.class.getName().replace('.', '/'),
            RUNTIME.replace('.', '/'))), 0);
    return writer.toByteArray();
  }
}
