package io.geneva.internal.storage;

import io.geneva.spi.Storage;
import io.geneva.spi.StorageContractTest;
import java.nio.file.Path;

/** The storage contract, kept by {@link FileStorage}. */
class FileStorageContractTest extends StorageContractTest {
  @Override
  protected Storage newStorage(Path tempDir) {
    return FileStorage.open(tempDir.resolve("store"));
  }
}
