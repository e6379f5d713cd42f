package io.geneva.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.PublicSurface;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * geneva-storage's public types are {@link S3Storage} and its builder, and {@link S3StorageProvider}
 * (public because {@link java.util.ServiceLoader} creates it); everything else is package-private
 * (the rule is {@link PublicSurface}'s).
 */
class PublicSurfaceTest {
  @Test
  void everyPublicType_isInASupportedOrInternalPackage() throws Exception {
    assertThat(PublicSurface.violations(PublicSurface.classesOf(S3Storage.class), getClass().getClassLoader(),
            Map.of()))
        .isEmpty();
  }
}
