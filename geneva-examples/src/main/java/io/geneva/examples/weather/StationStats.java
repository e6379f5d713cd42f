package io.geneva.examples.weather;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Minimum, mean and maximum temperature per station over some readings: one partition's, or a whole
 * data set's once the partitions are {@linkplain #merge(Collection) merged}. An immutable value,
 * serializable so that a task can return it.
 *
 * <p>Temperatures are kept as integer tenths of a degree and summed exactly, so merging partitions
 * in any order gives the same value as one pass over every reading; a sum of {@code double}s would
 * differ in its last bits with the order of the partitions.
 *
 * @param stations one entry per station, sorted by name
 */
public record StationStats(List<Station> stations) implements Serializable {

  /** No readings. */
  public static final StationStats EMPTY = new StationStats(List.of());

  /** Sorts and copies the stations; a station may appear once. */
  public StationStats {
    List<Station> sorted = new ArrayList<>(stations);
    sorted.sort(Comparator.comparing(Station::name));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).name().equals(sorted.get(i - 1).name())) {
        throw new IllegalArgumentException("station " + sorted.get(i).name() + " appears twice;"
            + " merge its entries with Station.plus");
      }
    }
    stations = List.copyOf(sorted);
  }

  /** The readings of several parts together, for example every partition of a job. */
  public static StationStats merge(Collection<StationStats> parts) {
    Map<String, Station> byName = new HashMap<>();
    for (StationStats part : parts) {
      for (Station s : part.stations()) {
        byName.merge(s.name(), s, Station::plus);
      }
    }
    return new StationStats(List.copyOf(byName.values()));
  }

  /** These readings and {@code other}'s together. */
  public StationStats merge(StationStats other) {
    return merge(List.of(this, other));
  }

  /** How many readings, over every station. */
  public long readings() {
    return stations.stream().mapToLong(Station::count).sum();
  }

  /** One station's figures, if it has readings here. */
  public Optional<Station> station(String name) {
    return stations.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** Collects readings one at a time. Not thread-safe. */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects readings into a {@link StationStats}; {@link #build()} does not change it. */
  public static final class Builder {
    private final Map<String, Station> byName = new HashMap<>();

    private Builder() {}

    /** One reading of {@code temperatureTenths} tenths of a degree at {@code station}. */
    public Builder add(String station, int temperatureTenths) {
      byName.merge(station, Station.of(station, temperatureTenths), Station::plus);
      return this;
    }

    /** The readings added so far. */
    public StationStats build() {
      return new StationStats(List.copyOf(byName.values()));
    }
  }

  /**
   * One station's figures.
   *
   * @param name the station
   * @param minTenths the lowest reading, in tenths of a degree
   * @param maxTenths the highest reading, in tenths of a degree
   * @param sumTenths the sum of the readings, in tenths of a degree
   * @param count how many readings
   */
  public record Station(String name, int minTenths, int maxTenths, long sumTenths, long count)
      implements Serializable {

    /** Checks the figures are those of at least one reading. */
    public Station {
      Objects.requireNonNull(name, "name");
      if (count < 1) {
        throw new IllegalArgumentException("station " + name + " needs at least one reading, not " + count);
      }
      if (minTenths > maxTenths) {
        throw new IllegalArgumentException(
            "station " + name + " has min " + minTenths + " above max " + maxTenths + " (tenths)");
      }
    }

    /** One reading. */
    public static Station of(String name, int temperatureTenths) {
      return new Station(name, temperatureTenths, temperatureTenths, temperatureTenths, 1);
    }

    /** This station's readings and {@code other}'s together. */
    public Station plus(Station other) {
      if (!other.name.equals(name)) {
        throw new IllegalArgumentException("cannot add readings of " + other.name + " to " + name);
      }
      return new Station(name, Math.min(minTenths, other.minTenths), Math.max(maxTenths, other.maxTenths),
          sumTenths + other.sumTenths, count + other.count);
    }

    /** The mean, rounded half up to a tenth of a degree and given in tenths. */
    public long meanTenths() {
      return Math.round((double) sumTenths / count);
    }

    /** For example {@code Abha: min -12.3 mean 18.0 max 52.1 (512 readings)}. */
    public String summary() {
      return String.format(Locale.ROOT, "%s: min %s mean %s max %s (%,d readings)",
          name, degrees(minTenths), degrees(meanTenths()), degrees(maxTenths), count);
    }
  }

  /** {@code -123} tenths as {@code -12.3}; never {@code -0.0}. */
  public static String degrees(long tenths) {
    long abs = Math.abs(tenths);
    return (tenths < 0 ? "-" : "") + abs / 10 + "." + abs % 10;
  }
}
