package io.geneva.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.PublicSurface;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The examples keep to {@code io.geneva.examples.*} (the rule is {@link PublicSurface}'s). */
class PublicSurfaceTest {
  @Test
  void everyPublicType_isInASupportedOrInternalPackage() throws Exception {
    assertThat(PublicSurface.violations(PublicSurface.classesOf(Quickstart.class), getClass().getClassLoader(),
            Map.of()))
        .isEmpty();
  }
}
