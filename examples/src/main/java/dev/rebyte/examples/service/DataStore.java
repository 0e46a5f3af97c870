package dev.rebyte.examples.service;

import dev.rebyte.examples.data.Content;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The service's data directory: {@code files/} and {@code blobs/} with the items of {@link Content},
 * written once (kept when present with the right size), and the checksum recorded for each blob.
 */
final class DataStore {
  private final Map<String, Path> files = new HashMap<>();
  private final Map<String, Path> blobs = new HashMap<>();
  private final Map<String, Long> blobCrcs = new HashMap<>();

  private DataStore() {}

  static DataStore open(Path dir) throws IOException {
    DataStore store = new DataStore();
    for (Content.Item item : Content.FILES) {
      store.files.put(item.name, write(dir.resolve("files"), item));
    }
    for (Content.Item item : Content.BLOBS) {
      store.blobs.put(item.name, write(dir.resolve("blobs"), item));
      CRC32 crc = new CRC32();
      crc.update(Files.readAllBytes(store.blobs.get(item.name)));
      store.blobCrcs.put(item.name, crc.getValue());
    }
    return store;
  }

  private static Path write(Path dir, Content.Item item) throws IOException {
    Files.createDirectories(dir);
    Path path = dir.resolve(item.name);
    if (!Files.isRegularFile(path) || Files.size(path) != item.size) {
      Path tmp = Files.createTempFile(dir, item.name, ".tmp");
      Files.write(tmp, item.bytes());
      Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    return path;
  }

  /** The path of a served file, or null. */
  Path file(String name) {
    return name == null ? null : files.get(name);
  }

  /** The path of a blob, or null. */
  Path blob(String name) {
    return name == null ? null : blobs.get(name);
  }

  long blobCrc(String name) {
    return blobCrcs.get(name);
  }
}
