package io.geneva.examples.weather;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import org.junit.jupiter.api.Test;

class MeasurementsGeneratorTest {

  @Test
  void shippedDataSet_isWhatTheGeneratorWrites() throws Exception {
    try (InputStream shipped = getClass().getClassLoader().getResourceAsStream(StationStatsTask.SHIPPED_DATA_SET)) {
      assertThat(shipped).isNotNull();
      assertThat(shipped.readAllBytes()).isEqualTo(MeasurementsGenerator.generate());
    }
  }

  @Test
  void shippedDataSet_hasEveryStationAndReading() {
    StationStats stats = MeasurementsFile.fromResource(getClass().getClassLoader(), StationStatsTask.SHIPPED_DATA_SET)
        .stats();

    assertThat(stats.readings()).isEqualTo(MeasurementsGenerator.READINGS);
    assertThat(stats.stations()).extracting(StationStats.Station::name)
        .containsExactlyInAnyOrderElementsOf(
            MeasurementsGenerator.STATIONS.stream().map(MeasurementsGenerator.Station::name).toList());
  }
}
