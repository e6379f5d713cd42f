package io.geneva.storage.s3;

import io.geneva.spi.Storage;
import io.geneva.spi.StorageContractTest;
import java.nio.file.Path;

/**
 * The storage contract, kept by {@link S3Storage} against a real S3 server (S3Proxy). Parts of 5 MiB
 * and a 5 MiB threshold make the suite's large object (6 MiB) a two-part multipart upload.
 */
class S3StorageContractTest extends StorageContractTest {
  @Override
  protected Storage newStorage(Path tempDir) {
    LocalS3 s3 = LocalS3.get();
    return s3.storage(s3.newBucket("contract"), "geneva/root")
        .partSize(5L << 20)
        .multipartThreshold(5L << 20)
        .build();
  }
}
