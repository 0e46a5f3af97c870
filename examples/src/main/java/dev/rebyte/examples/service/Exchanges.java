package dev.rebyte.examples.service;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Small helpers every handler uses: method checks, the request length, text responses. */
final class Exchanges {
  private Exchanges() {}

  /** Answers 405 and returns false unless the request uses {@code method}. */
  static boolean require(HttpExchange exchange, String method) throws IOException {
    if (exchange.getRequestMethod().equalsIgnoreCase(method)) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", method);
    sendText(exchange, 405, method + " only\n");
    return false;
  }

  /** The request's Content-Length, or -1 when it is absent or not a number (chunked uploads). */
  static long contentLength(HttpExchange exchange) {
    String value = exchange.getRequestHeaders().getFirst("Content-Length");
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The last path segment after {@code prefix}, or null when there is none or it is not a plain name. */
  static String name(HttpExchange exchange, String prefix) {
    String path = exchange.getRequestURI().getPath();
    if (!path.startsWith(prefix)) {
      return null;
    }
    String name = path.substring(prefix.length());
    return name.isEmpty() || name.contains("/") || name.startsWith(".") ? null : name;
  }

  static void sendText(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
