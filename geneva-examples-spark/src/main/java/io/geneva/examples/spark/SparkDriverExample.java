package io.geneva.examples.spark;

import io.geneva.ClasspathProfile;
import io.geneva.Geneva;
import io.geneva.GenevaSession;
import io.geneva.ImageLibrary;
import io.geneva.Job;
import io.geneva.JobResult;
import io.geneva.LocalCluster;
import io.geneva.StartupReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark driver that does some Spark work and then runs a Geneva job from the same code: the
 * session ships the driver's classpath, and the Spark classpath profile (set here; a session on a KubeRay
 * cluster detects it from the classpath) leaves Spark's own jars to the cluster image instead of uploading them.
 *
 * <p>The job runs on local workers here, so a directory stands in for the cluster image's library
 * ({@link ImageLibrary}): links to the Spark jars of this driver's classpath
 * ({@link ImageLibrary#linkClasspathJars}). On a real cluster
 * the image holds them.
 *
 * <p>Its test runs it: {@code mvn -pl geneva-examples-spark -am verify}.
 */
public final class SparkDriverExample {
  private SparkDriverExample() {}

  /**
   * What the driver did.
   *
   * @param sparkCount the Spark query's answer
   * @param job the Geneva job's result
   * @param startup how the Geneva session's start went
   */
  public record Outcome(long sparkCount, JobResult<PrimeCountTask.Count> job, StartupReport startup) {}

  /** Runs the driver: a Spark query, then a Geneva job of {@code partitions} partitions. */
  public static Outcome run(Path genevaHome, Path imageLibrary, int partitions) {
    SparkSession spark = SparkSession.builder().master("local[2]").appName("geneva-in-spark")
        .config("spark.ui.enabled", "false").getOrCreate();
    try {
      long sparkCount = spark.range(0, 10_000).filter("id % 7 = 0").count();
      try (GenevaSession session = Geneva.connect().home(genevaHome)
          .environment(Map.of(ImageLibrary.ENV, imageLibrary.toString()))
          .classpathProfiles(List.of(ClasspathProfile.SPARK)) // a KubeRay cluster would detect it
          .cluster(LocalCluster.workers(2)).open()) {
        JobResult<PrimeCountTask.Count> job =
            session.submit(Job.of(PrimeCountTask.class).partitions(partitions).parameter("limit", "200000")).join();
        return new Outcome(sparkCount, job, session.startupReport());
      }
    } finally {
      spark.stop();
    }
  }


  public static void main(String[] args) throws IOException {
    Path home = Files.createTempDirectory("geneva-spark-example");
    Outcome o = run(home.resolve("home"), ImageLibrary.linkClasspathJars(home.resolve("image-lib")), 4);
    System.out.println(o.startup().summary());
    long primes = o.job().results().stream().mapToLong(PrimeCountTask.Count::primes).sum();
    System.out.printf("Spark counted %d multiples of 7; Geneva counted %d primes below 200,000 in %d partitions%n",
        o.sparkCount(), primes, o.job().results().size());
  }
}
