package io.geneva.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.Geneva;
import io.geneva.GenevaSession;
import io.geneva.Job;
import io.geneva.JobResult;
import io.geneva.LocalCluster;
import io.geneva.WorkerReport;
import io.geneva.testfixture.SquareTask;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local worker JVMs bootstrap from an s3:// storage root: the session is configured by system
 * properties only, and the workers reach the same server through the environment the S3 provider
 * gives them.
 */
class S3WorkersTest {
  @TempDir Path home;
  private final Map<String, String> previous = new HashMap<>();

  @BeforeEach
  void configureAwsBySystemProperties() {
    LocalS3 s3 = LocalS3.get();
    Map<String, String> properties = new HashMap<>();
    properties.put("aws.endpointUrlS3", s3.endpoint().toString());
    properties.put("aws.region", "us-east-1");
    properties.put("aws.accessKeyId", LocalS3.ACCESS_KEY);
    properties.put("aws.secretAccessKey", LocalS3.SECRET_KEY);
    properties.forEach((k, v) -> previous.put(k, System.setProperty(k, v)));
  }

  @AfterEach
  void restore() {
    previous.forEach((k, v) -> {
      if (v == null) {
        System.clearProperty(k);
      } else {
        System.setProperty(k, v);
      }
    });
  }

  @Test
  void workersFetchTheClasspathFromS3AndRunTheJob() throws Exception {
    String bucket = LocalS3.get().newBucket("workers");
    Path taskJar = Path.of(SquareTask.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (GenevaSession session = Geneva.connect("s3://" + bucket + "/geneva").home(home).classpath(List.of(taskJar))
        .projectDirectory(home).cluster(LocalCluster.workers(2)).open()) {
      assertThat(session.manifestUri().toString()).startsWith("s3://" + bucket + "/geneva/manifests/");
      List<WorkerReport> ready = session.warmup();
      int packages = session.manifest().classpath().size();
      assertThat(ready.stream().mapToInt(WorkerReport::packagesFetched).sum()).isEqualTo(packages);
      JobResult<SquareTask.Square> r = session.submit(Job.of(SquareTask.class).partitions(3)).join();
      assertThat(r.results()).extracting(SquareTask.Square::square).containsExactly(0L, 1L, 4L);
    }
  }
}
