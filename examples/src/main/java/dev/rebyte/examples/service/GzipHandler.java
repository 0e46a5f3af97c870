package dev.rebyte.examples.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * {@code POST /gzip}: compresses the request body into a chunked gzip response. The body is copied
 * through {@link IoStreams#copy}'s 8 KiB buffer; {@code GZIPOutputStream} has buffers of its own
 * (its deflate buffer, the CRC), which are JDK code and stay as they are.
 */
final class GzipHandler implements HttpHandler {
  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      if (!Exchanges.require(exchange, "POST")) {
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
      exchange.getResponseHeaders().set("Content-Encoding", "gzip");
      exchange.sendResponseHeaders(200, 0); // chunked: the compressed length is not known yet
      try (InputStream in = exchange.getRequestBody();
          OutputStream gzip = new GZIPOutputStream(exchange.getResponseBody())) {
        IoStreams.copy(in, gzip);
      }
    } finally {
      exchange.close();
    }
  }
}
