package io.geneva.examples.storage;

import io.geneva.spi.Storage;
import io.geneva.spi.StorageContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

/**
 * The example plugin keeps Geneva's storage contract: the suite from {@code geneva-core}'s test jar,
 * run against a real {@link HttpObjectServer} on loopback, as a plugin author would run it.
 */
class HttpObjectStorageContractTest extends StorageContractTest {
  private HttpObjectServer server;

  @Override
  protected Storage newStorage(Path tempDir) throws Exception {
    server = HttpObjectServer.start(tempDir.resolve("served"), 0);
    return new HttpStorageProvider().create(server.root("geneva"));
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }
}
