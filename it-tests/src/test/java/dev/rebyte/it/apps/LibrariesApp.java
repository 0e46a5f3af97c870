package dev.rebyte.it.apps;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * An application with its own (older) ByteBuddy and Micrometer on the class path, using both while
 * the agent, which ships a relocated newer ByteBuddy, runs.
 */
public final class LibrariesApp {
  public static void main(String[] args) throws Exception {
    Class<?> generated = new ByteBuddy(ClassFileVersion.JAVA_V11)
        .subclass(Object.class)
        .name("dev.rebyte.it.apps.Generated$ByteBuddy$Greeter")
        .method(ElementMatchers.named("toString"))
        .intercept(FixedValue.value("hello from the app's ByteBuddy, " + jarOf(ByteBuddy.class)))
        .make()
        .load(LibrariesApp.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
        .getLoaded();
    System.out.println(generated.getDeclaredConstructor().newInstance());

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Counter counter = Counter.builder("app.copies").register(registry);
    for (int i = 0; i < 50; i++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      CopyApp.copyStream(new ByteArrayInputStream(new byte[20_000]), out);
      counter.increment();
    }
    System.out.println("micrometer counter " + counter.count());
    PoolStats.print();
  }

  private static String jarOf(Class<?> type) throws Exception {
    String path = type.getProtectionDomain().getCodeSource().getLocation().getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
