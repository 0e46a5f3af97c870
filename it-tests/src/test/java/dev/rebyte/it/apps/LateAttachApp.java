package dev.rebyte.it.apps;

import com.sun.tools.attach.VirtualMachine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

/**
 * Loads and runs {@link CopyApp#copyStream} without the agent, attaches the agent to itself
 * ({@code args[0]} the jar, {@code args[1]} the agent argument), then runs it again: the already
 * loaded class must have been retransformed.
 */
public final class LateAttachApp {
  public static void main(String[] args) throws Exception {
    System.out.println("before " + copies(10));
    VirtualMachine vm = VirtualMachine.attach(String.valueOf(ProcessHandle.current().pid()));
    try {
      vm.loadAgent(args[0], args[1]);
    } finally {
      vm.detach();
    }
    System.out.println("after " + copies(50));
    PoolStats.print();
  }

  private static long copies(int rounds) throws Exception {
    long total = 0;
    for (int i = 0; i < rounds; i++) {
      total += CopyApp.copyStream(new ByteArrayInputStream(new byte[20_000]), new ByteArrayOutputStream());
    }
    return total;
  }
}
