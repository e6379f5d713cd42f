package io.geneva.examples.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.ImageLibrary;
import io.geneva.PackageReport;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Flink local job client runs a Geneva job: the job's classes come from the shipped workspace,
 * and Flink's jars are provided by the (stand-in) image, never uploaded.
 */
class FlinkClientExampleTest {
  @TempDir Path dir;

  @Test
  void aFlinkClient_runsAGenevaJob_withoutUploadingFlinksJars() throws Exception {
    FlinkClientExample.Outcome o = FlinkClientExample.run(dir.resolve("home"),
        ImageLibrary.linkClasspathJars(dir.resolve("image-lib")), 4);

    assertThat(o.flinkSum()).isEqualTo(338_350); // 1² + ... + 100²
    assertThat(o.job().results()).extracting(CollatzTask.Longest::partition).containsExactly(0, 1, 2, 3);
    CollatzTask.Longest best = o.job().results().stream().max(Comparator.comparingInt(CollatzTask.Longest::steps))
        .orElseThrow();
    assertThat(best.start()).isEqualTo(77_031); // the longest chain below 100,000: 350 steps
    assertThat(best.steps()).isEqualTo(350);
    assertThat(o.job().results()).allSatisfy(c -> assertThat(c.loader()).startsWith("geneva-manifest-"));

    assertThat(o.startup().packages()).filteredOn(p -> p.source().startsWith("flink-"))
        .isNotEmpty()
        .allSatisfy(p -> {
          assertThat(p.uploaded()).isFalse();
          assertThat(p.reason()).isEqualTo(PackageReport.PROVIDED);
        });
    assertThat(o.startup().packages()).filteredOn(p -> p.source().startsWith("classes"))
        .as("the workspace ships").isNotEmpty().allSatisfy(p -> assertThat(p.uploaded()).isTrue());
  }
}
