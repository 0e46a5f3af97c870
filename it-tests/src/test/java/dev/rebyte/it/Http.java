package dev.rebyte.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/** A few HTTP calls to a forked JVM's endpoint, with the JDK's own client. */
final class Http {
  final int status;
  final String contentType;
  final String body;

  private Http(int status, String contentType, String body) {
    this.status = status;
    this.contentType = contentType;
    this.body = body;
  }

  static Http call(String method, String url) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
    c.setRequestMethod(method);
    c.setConnectTimeout(2000);
    c.setReadTimeout(10000);
    int status = c.getResponseCode();
    InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
    String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    c.disconnect();
    return new Http(status, c.getContentType(), body);
  }

  static Http get(String url) throws IOException {
    return call("GET", url);
  }

  /** Polls {@code url} until it answers 200 with a body containing {@code marker}, at most 30 s. */
  static Http await(String url, String marker, ForkedJvm.Running jvm) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    Exception last = null;
    while (System.nanoTime() < deadline) {
      if (!jvm.process.isAlive()) {
        throw new AssertionError("the forked JVM ended before " + url + " answered" + jvm.describe());
      }
      try {
        Http r = get(url);
        if (r.status == 200 && r.body.contains(marker)) {
          return r;
        }
      } catch (IOException e) {
        last = e;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no " + marker + " at " + url + " within 30 s (" + last + ")" + jvm.describe());
  }

  /** A port nobody listens on right now. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
