package io.geneva.examples.weather;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A data set of temperature readings: UTF-8 text, the header line {@value #HEADER}, then one reading
 * per line such as {@code Abha;-12.3} (degrees, at most one decimal). Blank lines are skipped.
 *
 * <p>It is split the way Hadoop splits text files: partition {@code p} of {@code n} covers the
 * {@code p}-th {@code n}-th of the bytes after the header, and owns every line that <em>starts</em>
 * there, reading past its end to finish its last line. So each line is read by exactly one
 * partition, and no partition needs to know where another's lines begin. The data sets here are
 * small enough to hold in memory; a large one would stay in storage and each partition would read
 * only its range, by the same rule.
 *
 * <p>Immutable and thread-safe.
 */
public final class MeasurementsFile {
  /** The first line of every data set. */
  public static final String HEADER = "station;temperature";

  /** Degrees with at most one decimal: sign, whole degrees, tenth. */
  private static final Pattern TEMPERATURE = Pattern.compile("(-?)(\\d{1,3})(?:\\.(\\d))?");

  private final String name;
  private final byte[] bytes;
  private final int dataStart;

  private MeasurementsFile(String name, byte[] bytes) {
    this.name = name;
    this.bytes = bytes;
    int headerEnd = indexOfNewline(bytes, 0);
    String header = line(0, headerEnd);
    if (!header.equals(HEADER)) {
      throw new IllegalArgumentException(
          name + " starts with \"" + header + "\", not the header \"" + HEADER + "\"; is it a measurements file?");
    }
    this.dataStart = Math.min(headerEnd + 1, bytes.length);
  }

  /**
   * A data set's content.
   *
   * @param name what error messages call it, for example the resource
   * @throws IllegalArgumentException if it does not start with the header
   */
  public static MeasurementsFile of(String name, byte[] content) {
    Objects.requireNonNull(name, "name");
    return new MeasurementsFile(name, content.clone());
  }

  /**
   * Reads a data set from a class loader's resources, for example the shipped {@code
   * io/geneva/examples/weather/measurements.csv}.
   *
   * @throws IllegalArgumentException if the loader has no such resource, or it is not a data set
   * @throws UncheckedIOException if it cannot be read
   */
  public static MeasurementsFile fromResource(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("data set " + resource + " is not on the classpath of " + loader
            + "; put it under src/main/resources so that it ships with the code");
      }
      return new MeasurementsFile(resource, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read data set " + resource + ": " + e.getMessage(), e);
    }
  }

  /** What error messages call this data set. */
  public String name() {
    return name;
  }

  /** The figures of every reading. */
  public StationStats stats() {
    return stats(0, 1);
  }

  /**
   * The figures of the readings that partition {@code partition} of {@code partitions} owns.
   *
   * @throws IllegalArgumentException if a line it owns is not {@code station;temperature}, or the
   *     partition is not one of {@code partitions}
   */
  public StationStats stats(int partition, int partitions) {
    if (partitions < 1 || partition < 0 || partition >= partitions) {
      throw new IllegalArgumentException("partition " + partition + " of " + partitions + " does not exist");
    }
    long length = bytes.length - dataStart;
    int start = dataStart + (int) (length * partition / partitions);
    int end = dataStart + (int) (length * (partition + 1) / partitions);
    if (start > dataStart && bytes[start - 1] != '\n') {
      // The line under way at our start belongs to the partition where it started.
      start = indexOfNewline(bytes, start) + 1;
    }
    StationStats.Builder stats = StationStats.builder();
    for (int lineStart = start; lineStart < end; ) {
      int lineEnd = indexOfNewline(bytes, lineStart);
      addReading(lineStart, lineEnd, stats);
      lineStart = lineEnd + 1;
    }
    return stats.build();
  }

  private void addReading(int start, int end, StationStats.Builder stats) {
    String line = line(start, end);
    if (line.isBlank()) {
      return;
    }
    int separator = line.lastIndexOf(';');
    Matcher temperature = TEMPERATURE.matcher(line).region(separator + 1, line.length());
    if (separator < 1 || !temperature.matches()) {
      throw new IllegalArgumentException(name + ", line at byte " + start + ": \"" + line
          + "\" is not station;temperature with at most one decimal, such as Abha;-12.3");
    }
    int tenths = Integer.parseInt(temperature.group(2)) * 10
        + (temperature.group(3) == null ? 0 : temperature.group(3).charAt(0) - '0');
    stats.add(line.substring(0, separator), temperature.group(1).isEmpty() ? tenths : -tenths);
  }

  /** The text from {@code start} to {@code end}, without a carriage return before the newline. */
  private String line(int start, int end) {
    int last = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
    return new String(bytes, start, last - start, StandardCharsets.UTF_8);
  }

  /** Where the line from {@code from} ends: its newline, or the end of the content. */
  private static int indexOfNewline(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return bytes.length;
  }
}
