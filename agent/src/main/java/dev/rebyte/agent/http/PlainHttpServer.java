package dev.rebyte.agent.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal HTTP/1.1 server for the agent's few read-only pages: one request per connection
 * ({@code Connection: close}), request line and headers only (bodies are never read), daemon
 * threads.
 *
 * <p>Why not {@code com.sun.net.httpserver}: its configuration ({@code sun.net.httpserver.*}
 * system properties such as {@code nodelay}) is read once, by the first server created in the JVM.
 * The agent starts its endpoint before the application's {@code main} runs, so it would freeze
 * those settings before the application could set them: an application that turns on
 * {@code sun.net.httpserver.nodelay} for its own server would silently lose it (and wait for
 * delayed ACKs, ~40 ms per response). The agent must not change how the application behaves, so it
 * uses nothing that the application may configure.
 */
final class PlainHttpServer {
  /** What a request gets back. */
  static final class Response {
    final int status;
    final Map<String, String> headers = new LinkedHashMap<>();
    final byte[] body;

    Response(int status, String contentType, byte[] body) {
      this.status = status;
      this.body = body;
      headers.put("Content-Type", contentType);
      headers.put("X-Content-Type-Options", "nosniff");
    }

    Response header(String name, String value) {
      headers.put(name, value);
      return this;
    }
  }

  /** Answers one request; {@code path} has no query string. Must not throw. */
  interface Handler {
    Response handle(String method, String path);
  }

  private static final int MAX_HEAD = 16 * 1024;
  private static final int READ_TIMEOUT_MS = 5_000;

  private final ServerSocket socket;
  private final ThreadPoolExecutor workers;
  private final Handler handler;
  private volatile boolean stopped;

  /** Binds now (so a port in use fails here, with {@link java.net.BindException}). */
  PlainHttpServer(InetSocketAddress address, Handler handler) throws IOException {
    this.handler = handler;
    this.socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(address, 16);
    AtomicInteger threads = new AtomicInteger();
    this.workers = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(64),
        task -> daemon(task, "rebyte-http-" + threads.incrementAndGet()));
    workers.allowCoreThreadTimeOut(true);
  }

  void start() {
    daemon(this::acceptLoop, "rebyte-http-accept").start();
  }

  void stop() {
    stopped = true;
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing: nothing to do
    }
    workers.shutdownNow();
  }

  private void acceptLoop() {
    while (!stopped) {
      Socket connection;
      try {
        connection = socket.accept();
      } catch (IOException e) {
        if (stopped) {
          return;
        }
        continue; // a failed accept (e.g. the client went away) must not end the endpoint
      }
      try {
        workers.execute(() -> serve(connection));
      } catch (RejectedExecutionException e) {
        close(connection); // overloaded: drop the connection rather than queue without bound
      }
    }
  }

  private void serve(Socket connection) {
    try (Socket c = connection) {
      c.setSoTimeout(READ_TIMEOUT_MS);
      c.setTcpNoDelay(true);
      String requestLine = readHead(c.getInputStream());
      String[] parts = requestLine == null ? new String[0] : requestLine.split(" ");
      Response response;
      String method = "GET";
      if (parts.length != 3 || !parts[2].startsWith("HTTP/")) {
        response = new Response(400, "text/plain; charset=utf-8", bytes("bad request\n"));
      } else {
        method = parts[0];
        String target = parts[1];
        int query = target.indexOf('?');
        response = handler.handle(method, query < 0 ? target : target.substring(0, query));
      }
      write(c.getOutputStream(), response, method.equals("HEAD"));
    } catch (IOException | RuntimeException e) {
      // the client went away or sent garbage: nothing to answer
    }
  }

  /** The request line, after reading (and ignoring) the headers; null if the head is malformed. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0; // counts the bytes of "\r\n\r\n" seen in a row
    while (head.size() < MAX_HEAD) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
          ? state + 1 : (b == '\r' ? 1 : 0);
      if (state == 4) {
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.indexOf("\r\n"));
      }
    }
    return null;
  }

  private static void write(OutputStream out, Response r, boolean head) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("HTTP/1.1 ").append(r.status).append(' ').append(reason(r.status)).append("\r\n");
    for (Map.Entry<String, String> h : r.headers.entrySet()) {
      b.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
    }
    b.append("Content-Length: ").append(r.body.length).append("\r\n");
    b.append("Connection: close\r\n\r\n");
    out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (!head) {
      out.write(r.body);
    }
    out.flush();
  }

  private static String reason(int status) {
    switch (status) {
      case 200: return "OK";
      case 400: return "Bad Request";
      case 404: return "Not Found";
      case 405: return "Method Not Allowed";
      default: return status >= 500 ? "Internal Server Error" : "Status";
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Thread daemon(Runnable task, String name) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    return t;
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already gone
    }
  }
}
