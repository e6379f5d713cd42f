package io.geneva.examples.weather;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.examples.weather.StationStats.Station;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeasurementsFileTest {
  static final String SMALL =
      "station;temperature\nAbha;-12.3\nZürich;4\nAbha;52.1\nSão Paulo;19.7\nAbha;14.2\nZürich;-0.4\n"
          + "São Paulo;25\nAbha;0.0\n";

  static MeasurementsFile file(String content) {
    return MeasurementsFile.of("test.csv", content.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void stats_ofTheWholeFile_countEveryReading() {
    assertThat(file(SMALL).stats().stations()).containsExactly(
        new Station("Abha", -123, 521, 540, 4),
        new Station("São Paulo", 197, 250, 447, 2),
        new Station("Zürich", -4, 40, 36, 2));
  }

  @Test
  void everyLineIsReadByExactlyOnePartition_forAnyNumberOfPartitions() {
    MeasurementsFile file = file(SMALL);
    StationStats whole = file.stats();
    // Up to more partitions than bytes, so that boundaries fall on every byte of every line.
    for (int partitions = 1; partitions <= SMALL.length() + 3; partitions++) {
      List<StationStats> parts = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        parts.add(file.stats(p, partitions));
      }
      assertThat(StationStats.merge(parts)).as("%d partitions", partitions).isEqualTo(whole);
      assertThat(parts.stream().mapToLong(StationStats::readings).sum()).isEqualTo(8);
    }
  }

  @Test
  void aLastLineWithoutNewline_windowsLineEndsAndBlankLines_areRead() {
    MeasurementsFile file = file("station;temperature\r\nOslo;-5.7\r\n\r\nOslo;12\n\nOslo;3.1");

    assertThat(file.stats().stations()).containsExactly(new Station("Oslo", -57, 120, 94, 3));
    assertThat(StationStats.merge(List.of(file.stats(0, 3), file.stats(1, 3), file.stats(2, 3))))
        .isEqualTo(file.stats());
  }

  @Test
  void aHeaderAlone_hasNoReadings() {
    assertThat(file("station;temperature").stats(0, 2).readings()).isZero();
    assertThat(file("station;temperature\n").stats(1, 2).readings()).isZero();
  }

  @Test
  void aMalformedLine_isReportedWithTheFileAndItsByteOffset() {
    MeasurementsFile file = file("station;temperature\nOslo;1.0\nOslo;warm\n");

    assertThatThrownBy(file::stats)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("test.csv, line at byte 29: \"Oslo;warm\" is not station;temperature with at most one"
            + " decimal, such as Abha;-12.3");
    assertThatThrownBy(() -> file("station;temperature\nOslo;1.25\n").stats())
        .hasMessageContaining("\"Oslo;1.25\" is not station;temperature");
    assertThatThrownBy(() -> file("station;temperature\n;1.2\n").stats())
        .hasMessageContaining("\";1.2\" is not station;temperature");
  }

  @Test
  void contentWithoutTheHeader_isRefused() {
    assertThatThrownBy(() -> file("Oslo;1.0\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("test.csv starts with \"Oslo;1.0\", not the header \"station;temperature\"; is it a"
            + " measurements file?");
  }

  @Test
  void aPartitionOutsideTheJob_isRefused() {
    assertThatThrownBy(() -> file(SMALL).stats(3, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("partition 3 of 3 does not exist");
  }

  @Test
  void aMissingResource_isNamedWithWhereToPutIt() {
    assertThatThrownBy(() -> MeasurementsFile.fromResource(getClass().getClassLoader(), "no/such.csv"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("data set no/such.csv is not on the classpath of ")
        .hasMessageEndingWith("; put it under src/main/resources so that it ships with the code");
  }
}
