package io.geneva.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RayEntrypointTest {

  @Test
  void theCoordinatorRunsOnGenevasLibraryAndRaysJars_connectedToTheJobsCluster() {
    assertThat(RayEntrypoint.command(List.of())).isEqualTo("java -Dray.address=\"$RAY_ADDRESS\""
        + " -Dray.job.code-search-path=/opt/geneva/lib -cp \"/opt/geneva/lib/*:$(python -c 'import os, ray;"
        + " print(os.path.join(os.path.dirname(ray.__file__), \"jars\"))')/*\" io.geneva.k8s.internal.ray.CoordinatorMain");
  }

  @Test
  void workerJvmOptions_reachTheJobsJavaWorkers_eachAsOneShellWord() {
    assertThat(RayEntrypoint.command(List.of("-Xmx4g", "-Dgreeting=it's here")))
        .contains(" '-Dray.job.jvm-options.0=-Xmx4g' '-Dray.job.jvm-options.1=-Dgreeting=it'\\''s here' -cp ");
  }
}
