package io.geneva.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.PublicSurface;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The plugin's public types are its mojos (Maven creates them) in {@code io.geneva.maven} (the rule is
 * {@link PublicSurface}'s).
 */
class PublicSurfaceTest {
  @Test
  void everyPublicType_isInASupportedOrInternalPackage() throws Exception {
    assertThat(PublicSurface.violations(PublicSurface.classesOf(PackageMojo.class), getClass().getClassLoader(),
            Map.of()))
        .isEmpty();
  }
}
