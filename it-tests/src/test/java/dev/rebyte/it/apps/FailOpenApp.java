package dev.rebyte.it.apps;

/**
 * Two classes the agent cannot transform, and the application must not notice:
 * <ul>
 *   <li>this class itself: {@link #work} merges two types whose class files the test removes from
 *       the class path ({@link MissingA}, {@link MissingB}), so stack map frames cannot be
 *       recomputed after the rewrite. The JVM never needs them: the merge is declared as Object
 *       and the branch never runs;</li>
 *   <li>a malformed class file the app defines itself: the JVM rejects it, the agent must only
 *       fail to transform it.</li>
 * </ul>
 */
public final class FailOpenApp {
  public static void main(String[] args) {
    System.out.println("work " + work(args.length > 99));
    try {
      new Definer().define(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 52, 1, 2, 3});
      System.out.println("malformed class accepted?!");
    } catch (ClassFormatError e) {
      System.out.println("malformed class rejected by the JVM");
    }
    PoolStats.print();
  }

  static int work(boolean never) {
    byte[] buffer = new byte[8192];
    for (int i = 0; i < buffer.length; i++) {
      buffer[i] = (byte) i;
    }
    int sum = 0;
    for (byte b : buffer) {
      sum += b & 0xff;
    }
    if (never) {
      Object o = sum > 0 ? new MissingA() : new MissingB();
      sum += o.hashCode();
    }
    return sum;
  }

  /** Defines a class from bytes, as generated-code frameworks do. */
  static final class Definer extends ClassLoader {
    Definer() {
      super(FailOpenApp.class.getClassLoader());
    }

    Class<?> define(byte[] bytes) {
      return defineClass("dev.rebyte.it.apps.Malformed", bytes, 0, bytes.length);
    }
  }
}

/** Present at compile time, removed from the class path by the test. */
class MissingA {
}

/** Present at compile time, removed from the class path by the test. */
class MissingB {
}
