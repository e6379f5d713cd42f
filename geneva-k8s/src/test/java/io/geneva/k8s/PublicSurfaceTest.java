package io.geneva.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.PublicSurface;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * geneva-k8s's public types are the KubeRay entry points in {@code io.geneva.k8s} and the Ray side
 * in {@code io.geneva.k8s.internal.ray} (the rule is {@link PublicSurface}'s).
 */
class PublicSurfaceTest {
  @Test
  void everyPublicType_isInASupportedOrInternalPackage() throws Exception {
    assertThat(PublicSurface.violations(PublicSurface.classesOf(KubeRay.class), getClass().getClassLoader(),
            Map.of()))
        .isEmpty();
  }
}
