package io.geneva.examples.weather;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Writes the shipped data set, {@code measurements.csv}: 20,000 readings over 40 real stations, each
 * its station's annual mean plus up to ±30 °C of noise. Only integer arithmetic and {@link
 * Random#nextInt(int)} (whose algorithm Java specifies), so every JVM writes the same bytes; {@code
 * MeasurementsGeneratorTest} checks that the committed file is what this writes.
 *
 * <p>After changing it, regenerate from {@code geneva-examples} once the tests are compiled: {@code
 * java -cp target/classes:target/test-classes io.geneva.examples.weather.MeasurementsGenerator
 * src/main/resources/io/geneva/examples/weather/measurements.csv}.
 */
public final class MeasurementsGenerator {
  static final long SEED = 20_260_101L;
  static final int READINGS = 20_000;

  /** A station and its annual mean temperature in tenths of a degree. */
  record Station(String name, int meanTenths) {}

  static final List<Station> STATIONS = List.of(
      new Station("Abha", 180), new Station("Abidjan", 260), new Station("Accra", 264),
      new Station("Addis Ababa", 160), new Station("Adelaide", 173), new Station("Amsterdam", 102),
      new Station("Anchorage", 28), new Station("Athens", 192), new Station("Auckland", 152),
      new Station("Bangkok", 286), new Station("Barcelona", 182), new Station("Beijing", 129),
      new Station("Berlin", 103), new Station("Bogotá", 136), new Station("Buenos Aires", 175),
      new Station("Cairo", 214), new Station("Cape Town", 162), new Station("Dakar", 240),
      new Station("Dubai", 269), new Station("Helsinki", 59), new Station("Istanbul", 139),
      new Station("Jakarta", 267), new Station("Kraków", 83), new Station("Lagos", 268),
      new Station("London", 113), new Station("Madrid", 150), new Station("Mexico City", 175),
      new Station("Montréal", 68), new Station("Moscow", 58), new Station("Mumbai", 271),
      new Station("Nairobi", 178), new Station("Oslo", 57), new Station("Reykjavík", 43),
      new Station("São Paulo", 197), new Station("Singapore", 270), new Station("Sydney", 177),
      new Station("Tokyo", 154), new Station("Toronto", 94), new Station("Yakutsk", -88),
      new Station("Zürich", 93));

  private MeasurementsGenerator() {}

  /** The data set's bytes: a header line, then one {@code station;temperature} line per reading. */
  static byte[] generate() {
    Random random = new Random(SEED);
    StringBuilder csv = new StringBuilder(READINGS * 16);
    csv.append(MeasurementsFile.HEADER).append('\n');
    for (int i = 0; i < READINGS; i++) {
      Station station = STATIONS.get(random.nextInt(STATIONS.size()));
      // The sum of three uniform draws: most readings near the mean, none beyond ±30 °C.
      int noise = random.nextInt(201) + random.nextInt(201) + random.nextInt(201) - 300;
      csv.append(station.name()).append(';').append(StationStats.degrees(station.meanTenths() + noise)).append('\n');
    }
    return csv.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Writes the data set to the file named by the only argument. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: MeasurementsGenerator <file to write>");
      System.exit(2);
    }
    Files.write(Path.of(args[0]), generate());
  }
}
