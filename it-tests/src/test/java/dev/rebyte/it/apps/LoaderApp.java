package dev.rebyte.it.apps;

import java.io.IOException;
import java.io.InputStream;

/**
 * Runs {@link LoaderWork} twice: as loaded by the application's loader, and as defined by a loader
 * that refuses every {@code dev.rebyte.*} name it does not define itself, as OSGi does without boot
 * delegation (everything else goes to the parent). Rewritten, the second copy would fail with a
 * {@code NoClassDefFoundError} for {@code dev/rebyte/runtime/Rebyte}.
 */
public final class LoaderApp {
  public static void main(String[] args) throws Exception {
    System.out.println("application loader: " + LoaderWork.run());
    Class<?> refused = Class.forName(LoaderWork.class.getName(), true, new Refusing());
    for (int i = 0; i < 2; i++) {
      System.out.println("refusing loader: " + refused.getMethod("run").invoke(null));
    }
    System.out.println("loaders differ: " + (refused != LoaderWork.class));
  }

  /** Defines its own {@link LoaderWork}; refuses the other {@code dev.rebyte.} names. */
  static final class Refusing extends ClassLoader {
    Refusing() {
      super("refusing", LoaderApp.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        if (name.equals(LoaderWork.class.getName())) {
          Class<?> c = findLoadedClass(name);
          return c != null ? c : define(name);
        }
        if (name.startsWith("dev.rebyte.")) {
          throw new ClassNotFoundException(name + " (this loader does not delegate dev.rebyte.*)");
        }
        return super.loadClass(name, resolve);
      }
    }

    private Class<?> define(String name) throws ClassNotFoundException {
      try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
        byte[] bytes = in.readAllBytes();
        return defineClass(name, bytes, 0, bytes.length);
      } catch (IOException e) {
        throw new ClassNotFoundException(name, e);
      }
    }
  }
}
