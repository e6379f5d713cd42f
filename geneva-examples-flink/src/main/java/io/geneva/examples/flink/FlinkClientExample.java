package io.geneva.examples.flink;

import io.geneva.ClasspathProfile;
import io.geneva.Geneva;
import io.geneva.GenevaSession;
import io.geneva.ImageLibrary;
import io.geneva.Job;
import io.geneva.JobResult;
import io.geneva.LocalCluster;
import io.geneva.StartupReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A Flink job client that runs a local Flink job and then a Geneva job from the same code: the
 * session ships the client's classpath, and the Flink classpath profile (set here; a session on a KubeRay
 * cluster detects it from the classpath) leaves Flink's jars to the cluster image instead of uploading them.
 *
 * <p>The job runs on local workers here, so a directory of links to the Flink jars of this client's
 * classpath ({@link ImageLibrary#linkClasspathJars}) stands in for the cluster
 * image's library ({@code GENEVA_IMAGE_LIB}).
 *
 * <p>Its test runs it: {@code mvn -pl geneva-examples-flink -am verify}.
 */
public final class FlinkClientExample {
  private FlinkClientExample() {}

  /**
   * What the client did.
   *
   * @param flinkSum the Flink job's answer
   * @param job the Geneva job's result
   * @param startup how the Geneva session's start went
   */
  public record Outcome(long flinkSum, JobResult<CollatzTask.Longest> job, StartupReport startup) {}

  /** Squares 1..100 in a local Flink job, then runs a Geneva job of {@code partitions} partitions. */
  public static Outcome run(Path genevaHome, Path imageLibrary, int partitions) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2);
    long sum = 0;
    try (var squares = env.fromSequence(1, 100).map(new Square()).executeAndCollect()) {
      while (squares.hasNext()) {
        sum += squares.next();
      }
    }
    try (GenevaSession session = Geneva.connect().home(genevaHome)
        .environment(Map.of(ImageLibrary.ENV, imageLibrary.toString()))
        .classpathProfiles(List.of(ClasspathProfile.FLINK)) // a KubeRay cluster would detect it
        .cluster(LocalCluster.workers(2)).open()) {
      JobResult<CollatzTask.Longest> job =
          session.submit(Job.of(CollatzTask.class).partitions(partitions).parameter("limit", "100000")).join();
      return new Outcome(sum, job, session.startupReport());
    }
  }

  /** Flink's map step. */
  static final class Square implements MapFunction<Long, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Long map(Long value) {
      return value * value;
    }
  }


  public static void main(String[] args) throws Exception {
    Path home = Files.createTempDirectory("geneva-flink-example");
    Outcome o = run(home.resolve("home"), ImageLibrary.linkClasspathJars(home.resolve("image-lib")), 4);
    System.out.println(o.startup().summary());
    CollatzTask.Longest best = o.job().results().stream()
        .max(java.util.Comparator.comparingInt(CollatzTask.Longest::steps)).orElseThrow();
    System.out.printf("Flink summed the squares of 1..100 to %d; Geneva found the longest Collatz chain below"
        + " 100,000 starts at %d (%d steps)%n", o.flinkSum(), best.start(), best.steps());
  }
}
