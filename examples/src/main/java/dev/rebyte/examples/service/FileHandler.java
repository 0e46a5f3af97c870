package dev.rebyte.examples.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code GET /files/{name}}: serves a file of the data directory, streamed through a 64 KiB buffer
 * (large static files: fewer, bigger reads than the 8 KiB default).
 */
final class FileHandler implements HttpHandler {
  private final DataStore store;

  FileHandler(DataStore store) {
    this.store = store;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      if (!Exchanges.require(exchange, "GET")) {
        return;
      }
      Path file = store.file(Exchanges.name(exchange, "/files/"));
      if (file == null) {
        Exchanges.sendText(exchange, 404, "no such file\n");
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
      exchange.sendResponseHeaders(200, Files.size(file));
      try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) != -1) {
          out.write(buffer, 0, n);
        }
      }
    } finally {
      exchange.close();
    }
  }
}
