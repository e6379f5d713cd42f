package io.geneva.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.JobResult;
import io.geneva.PartitionReport;
import io.geneva.WorkerReport;
import io.geneva.examples.weather.StationStats;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuickstartTest {

  @Test
  void describeResult_mergesThePartitions_andSaysWhoRanWhich() {
    StationStats first = StationStats.builder().add("Oslo", -57).add("Abha", 180).build();
    StationStats second = StationStats.builder().add("Oslo", 31).add("Bangkok", 286).build();
    StationStats third = StationStats.builder().add("Abha", 200).build();
    JobResult<StationStats> result = new JobResult<>("job-1", List.of(first, second, third),
        List.of(new PartitionReport(0, 1, "local-1"), new PartitionReport(1, 2, "local-0"),
            new PartitionReport(2, 1, "local-1")),
        Duration.ofMillis(1_250));

    assertThat(Quickstart.describeResult(result)).isEqualToNormalizingNewlines(
        "weather: 5 readings from 3 stations, in 3 partitions, 1.25 s\n"
            + "  Abha: min 18.0 mean 19.0 max 20.0 (2 readings)\n"
            + "  Bangkok: min 28.6 mean 28.6 max 28.6 (1 readings)\n"
            + "  Oslo: min -5.7 mean -1.3 max 3.1 (2 readings)\n"
            + "  coldest mean: Oslo -1.3, hottest mean: Bangkok 28.6\n"
            + "  local-0 ran partitions 1 (2 readings)\n"
            + "  local-1 ran partitions 0, 2 (3 readings)\n"
            + "  partition 1 took 2 attempts\n");
  }

  @Test
  void describeResult_showsTheFirstStationsOnly() {
    StationStats.Builder many = StationStats.builder();
    for (int i = 0; i < 15; i++) {
      many.add(String.format("Station %02d", i), i);
    }
    JobResult<StationStats> result = new JobResult<>("job-2", List.of(many.build()),
        List.of(new PartitionReport(0, 1, "local-0")), Duration.ofMillis(10));

    assertThat(Quickstart.describeResult(result))
        .contains("  Station 09: ")
        .doesNotContain("Station 10: ")
        .contains("  ... and 5 more stations\n");
  }

  @Test
  void describeWorkers_saysWhatEachFetchedOrThatItWasReady() {
    List<WorkerReport> workers = List.of(
        WorkerReport.builder("local-1").pid(4242).packagesFromCache(17).bootstrapMillis(85).build(),
        WorkerReport.builder("local-0").pid(4241).packagesFetched(3).packagesFromCache(14)
            .bytesFetched(3 * 1024 * 1024).bootstrapMillis(412).build(),
        WorkerReport.builder("local-2").pid(4243).alreadyReady(true).build());

    assertThat(Quickstart.describeWorkers(workers)).isEqualToNormalizingNewlines(
        "3 workers ready:\n"
            + "  local-0 (pid 4241): 3 packages fetched (3.0 MiB), 14 from the node cache, bootstrap 412 ms\n"
            + "  local-1 (pid 4242): 0 packages fetched (0 B), 17 from the node cache, bootstrap 85 ms\n"
            + "  local-2 (pid 4243): already had this manifest\n");
  }
}
