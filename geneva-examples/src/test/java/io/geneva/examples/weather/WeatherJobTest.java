package io.geneva.examples.weather;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.Geneva;
import io.geneva.GenevaSession;
import io.geneva.Job;
import io.geneva.JobResult;
import io.geneva.LocalCluster;
import io.geneva.PartitionReport;
import io.geneva.WorkerReport;
import io.geneva.examples.weather.StationStats.Station;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick start's job on real worker JVMs, which get the task and the data set from the manifest. */
class WeatherJobTest {
  /** The module's own classes and resources, as a session would ship them from an IDE or Maven. */
  static final Path CLASSES = Path.of("target/classes").toAbsolutePath();

  @TempDir Path home;

  @Test
  void jobOnTwoLocalWorkers_mergesToTheFiguresOfOnePassOverTheWholeFile() throws IOException {
    JobResult<StationStats> result;
    List<WorkerReport> workers;
    try (GenevaSession session = Geneva.connect().home(home).classpath(List.of(CLASSES))
        .cluster(LocalCluster.workers(2)).open()) {
      workers = session.warmup();
      result = session.submit(Job.of(StationStatsTask.class).partitions(8)).join();
    }

    assertThat(workers).hasSize(2);
    assertThat(workers).extracting(WorkerReport::pid).doesNotContain(ProcessHandle.current().pid());
    assertThat(result.partitions()).extracting(PartitionReport::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    assertThat(result.partitions()).extracting(PartitionReport::worker).isSubsetOf("local-1", "local-2");
    assertThat(result.results()).allSatisfy(part -> assertThat(part.readings()).isPositive());
    assertThat(StationStats.merge(result.results())).isEqualTo(onePass(StationStatsTask.SHIPPED_DATA_SET));
  }

  /** The figures computed line by line in this JVM, sharing no code with the task. */
  static StationStats onePass(String resource) throws IOException {
    Map<String, long[]> byName = new TreeMap<>();
    try (InputStream in = WeatherJobTest.class.getClassLoader().getResourceAsStream(resource);
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      assertThat(lines.readLine()).isEqualTo("station;temperature");
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        String[] fields = line.split(";");
        long tenths = new BigDecimal(fields[1]).movePointRight(1).longValueExact();
        long[] f = byName.computeIfAbsent(fields[0], k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 0, 0});
        f[0] = Math.min(f[0], tenths);
        f[1] = Math.max(f[1], tenths);
        f[2] += tenths;
        f[3]++;
      }
    }
    return new StationStats(byName.entrySet().stream()
        .map(e -> new Station(e.getKey(), (int) e.getValue()[0], (int) e.getValue()[1], e.getValue()[2], e.getValue()[3]))
        .toList());
  }
}
