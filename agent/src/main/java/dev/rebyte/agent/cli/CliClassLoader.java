package dev.rebyte.agent.cli;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * Child-first for {@code dev.rebyte.*} (the agent, its relocated libraries and the runtime), parent
 * first for everything else. The parent must be the application class loader rather than the
 * platform one: {@code jdk.attach} is defined to the application loader.
 */
final class CliClassLoader extends URLClassLoader {
  static {
    registerAsParallelCapable();
  }

  CliClassLoader(URL[] urls, ClassLoader parent) {
    super(urls, parent);
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (!name.startsWith("dev.rebyte.")) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        c = findClass(name);
      }
      if (resolve) {
        resolveClass(c);
      }
      return c;
    }
  }
}
