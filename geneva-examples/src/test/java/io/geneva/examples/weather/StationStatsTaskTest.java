package io.geneva.examples.weather;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.TaskContext;
import io.geneva.examples.weather.StationStats.Station;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StationStatsTaskTest {
  static final String SMALL = "io/geneva/examples/weather/small.csv";

  /** The context a worker would hand the task: one partition of a job, first attempt. */
  record Context(int partition, int partitions, Map<String, String> parameters) implements TaskContext {
    @Override
    public int attempt() {
      return 1;
    }

    @Override
    public String jobId() {
      return "test-job";
    }

    @Override
    public String worker() {
      return "test-worker";
    }
  }

  static List<StationStats> runEveryPartition(int partitions, Map<String, String> parameters) {
    List<StationStats> results = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      results.add(new StationStatsTask().run(new Context(p, partitions, parameters)));
    }
    return results;
  }

  @Test
  void partitions_splitTheDataSetParameter_andMergeIntoItsFigures() {
    List<StationStats> parts = runEveryPartition(3, Map.of(StationStatsTask.DATA_SET, SMALL));

    assertThat(parts).allSatisfy(part -> assertThat(part.readings()).isPositive());
    assertThat(StationStats.merge(parts).stations()).containsExactly(
        new Station("Abha", -123, 521, 540, 4),
        new Station("São Paulo", 197, 250, 447, 2),
        new Station("Zürich", -4, 40, 36, 2));
  }

  @Test
  void withoutTheParameter_readsTheShippedDataSet_inAsManyPartsAsTheJobHas() {
    StationStats whole = new StationStatsTask().run(new Context(0, 1, Map.of()));
    List<StationStats> parts = runEveryPartition(8, Map.of());

    assertThat(whole.readings()).isEqualTo(20_000);
    assertThat(whole.stations()).hasSize(40);
    assertThat(parts).allSatisfy(part -> assertThat(part.readings()).isBetween(2_300L, 2_700L));
    assertThat(StationStats.merge(parts)).isEqualTo(whole);
  }

  @Test
  void aMissingDataSet_failsThePartition_namingTheResource() {
    assertThatThrownBy(() -> new StationStatsTask().run(new Context(0, 1, Map.of(StationStatsTask.DATA_SET, "nope.csv"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("data set nope.csv is not on the classpath");
  }
}
