package io.geneva.examples.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.ImageLibrary;
import io.geneva.PackageReport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark local driver runs a Geneva job: the job's classes come from the shipped workspace, and
 * Spark's jars are provided by the (stand-in) image, never uploaded.
 */
class SparkDriverExampleTest {
  @TempDir Path dir;

  @Test
  void aSparkDriver_runsAGenevaJob_withoutUploadingSparksJars() {
    SparkDriverExample.Outcome o = SparkDriverExample.run(dir.resolve("home"),
        ImageLibrary.linkClasspathJars(dir.resolve("image-lib")), 4);

    assertThat(o.sparkCount()).isEqualTo(1429); // multiples of 7 below 10,000
    assertThat(o.job().results()).extracting(PrimeCountTask.Count::partition).containsExactly(0, 1, 2, 3);
    assertThat(o.job().results().stream().mapToLong(PrimeCountTask.Count::primes).sum()).isEqualTo(17_984);
    assertThat(o.job().results()).allSatisfy(c -> assertThat(c.loader()).startsWith("geneva-manifest-"));

    assertThat(o.startup().packages()).filteredOn(p -> p.source().startsWith("spark-"))
        .isNotEmpty()
        .allSatisfy(p -> {
          assertThat(p.uploaded()).isFalse();
          assertThat(p.reason()).isEqualTo(PackageReport.PROVIDED);
        });
    assertThat(o.startup().packages()).filteredOn(p -> p.source().startsWith("scala-library"))
        .allSatisfy(p -> assertThat(p.reason()).isEqualTo(PackageReport.PROVIDED));
    assertThat(o.startup().packages()).filteredOn(p -> p.source().startsWith("classes"))
        .as("the workspace ships").isNotEmpty().allSatisfy(p -> assertThat(p.uploaded()).isTrue());
  }
}
