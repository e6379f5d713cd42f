package io.geneva.examples.weather;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.examples.weather.StationStats.Station;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StationStatsTest {

  @Test
  void builder_keepsMinMaxSumAndCountPerStation_sortedByName() {
    StationStats stats = StationStats.builder()
        .add("Zürich", 40).add("Abha", -123).add("Abha", 521).add("Zürich", -4).add("Abha", 142)
        .build();

    assertThat(stats.stations()).containsExactly(
        new Station("Abha", -123, 521, 540, 3), new Station("Zürich", -4, 40, 36, 2));
    assertThat(stats.readings()).isEqualTo(5);
  }

  @Test
  void mergeOfParts_equalsOnePassOverEveryReading_inAnyOrder() {
    Random random = new Random(7);
    StationStats.Builder whole = StationStats.builder();
    List<StationStats.Builder> parts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      parts.add(StationStats.builder());
    }
    for (int i = 0; i < 1_000; i++) {
      String station = "station-" + random.nextInt(12);
      int tenths = random.nextInt(1_999) - 999;
      whole.add(station, tenths);
      parts.get(random.nextInt(parts.size())).add(station, tenths);
    }
    List<StationStats> built = new ArrayList<>(parts.stream().map(StationStats.Builder::build).toList());

    StationStats merged = StationStats.merge(built);
    Collections.reverse(built);

    assertThat(merged).isEqualTo(whole.build());
    assertThat(StationStats.merge(built)).isEqualTo(merged);
    assertThat(built.get(0).merge(built.get(1))).isEqualTo(StationStats.merge(built.subList(0, 2)));
  }

  @Test
  void mergeOfNothing_isEmpty() {
    assertThat(StationStats.merge(List.of())).isEqualTo(StationStats.EMPTY);
    assertThat(StationStats.merge(List.of(StationStats.EMPTY, StationStats.EMPTY)).readings()).isZero();
  }

  @Test
  void summary_showsDegreesWithOneDecimal_andTheMeanRoundedHalfUp() {
    Station sao = new Station("São Paulo", 197, 250, 447, 2);

    assertThat(sao.meanTenths()).isEqualTo(224);
    assertThat(sao.summary()).isEqualTo("São Paulo: min 19.7 mean 22.4 max 25.0 (2 readings)");
    assertThat(new Station("Abha", -123, 521, 540, 4).summary())
        .isEqualTo("Abha: min -12.3 mean 13.5 max 52.1 (4 readings)");
  }

  @Test
  void degrees_ofASmallNegativeMean_isNotMinusZero() {
    Station chilly = new Station("Yakutsk", -2, 1, -1, 3);

    assertThat(StationStats.degrees(chilly.meanTenths())).isEqualTo("0.0");
    assertThat(StationStats.degrees(-5)).isEqualTo("-0.5");
    assertThat(StationStats.degrees(1234)).isEqualTo("123.4");
  }

  @Test
  void survivesJavaSerialization_asATaskResultMust() throws Exception {
    StationStats stats = StationStats.builder().add("Abha", 180).add("Oslo", -57).build();

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(stats);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(stats);
    }
  }

  @Test
  void aStationTwice_isRefused_andPlusRefusesAnotherStation() {
    assertThatThrownBy(() -> new StationStats(List.of(Station.of("Oslo", 1), Station.of("Oslo", 2))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("station Oslo appears twice");
    assertThatThrownBy(() -> Station.of("Oslo", 1).plus(Station.of("Abha", 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot add readings of Abha to Oslo");
  }
}
