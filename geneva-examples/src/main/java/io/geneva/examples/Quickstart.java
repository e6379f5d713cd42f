package io.geneva.examples;

import io.geneva.Geneva;
import io.geneva.GenevaSession;
import io.geneva.Job;
import io.geneva.JobResult;
import io.geneva.LocalCluster;
import io.geneva.PartitionReport;
import io.geneva.StartupReport;
import io.geneva.WorkerReport;
import io.geneva.examples.weather.StationStats;
import io.geneva.examples.weather.StationStatsTask;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The README's quick start: ships this program's own classpath with the embedded default (storage
 * under the Geneva home), starts a local cluster, and runs a job over the weather measurements this
 * module ships: minimum, mean and maximum temperature per station, in {@value #PARTITIONS}
 * partitions, merged here. It prints the startup report, what each worker fetched, and the result.
 * Run it twice: the second start reads no file content and uploads nothing, and the workers find
 * every package in the node cache.
 */
public final class Quickstart {
  /** Workers of the local cluster: a quick start should not start a JVM per processor. */
  static final int WORKERS = 2;
  static final int PARTITIONS = 8;
  static final int STATIONS_SHOWN = 10;

  private Quickstart() {}

  /** Opens a session, warms the workers up, runs the weather job and prints what happened. */
  public static void main(String[] args) {
    ProgressLines console = ProgressLines.onStandardOutput();
    try (GenevaSession session = Geneva.connect()
        .cluster(LocalCluster.workers(WORKERS))
        .progressListener(console)
        .open()) {
      console.println(session.startupReport().summary());
      console.println(describeWorkers(session.warmup()));
      JobResult<StationStats> result = session.submit(weatherJob()).join();
      console.println(describeResult(result));
    }
  }

  /** Per-station figures over the shipped data set, in {@value #PARTITIONS} partitions. */
  static Job<StationStats> weatherJob() {
    return Job.of(StationStatsTask.class)
        .partitions(PARTITIONS)
        .parameter(StationStatsTask.DATA_SET, StationStatsTask.SHIPPED_DATA_SET);
  }

  /** A line per worker: what it fetched and how long its bootstrap took. */
  static String describeWorkers(List<WorkerReport> workers) {
    StringBuilder out = new StringBuilder(workers.size() + " workers ready:\n");
    workers.stream().sorted(Comparator.comparing(WorkerReport::worker)).forEach(w -> {
      out.append(String.format(Locale.ROOT, "  %s (pid %d): ", w.worker(), w.pid()));
      if (w.alreadyReady()) {
        out.append("already had this manifest\n");
      } else {
        out.append(String.format(Locale.ROOT,
            "%d packages fetched (%s), %d from the node cache, bootstrap %d ms%n",
            w.packagesFetched(), StartupReport.bytes(w.bytesFetched()), w.packagesFromCache(),
            w.bootstrapMillis()));
      }
    });
    return out.toString();
  }

  /** The merged figures (the first stations by name), the extremes, and who ran which partition. */
  static String describeResult(JobResult<StationStats> result) {
    StationStats all = StationStats.merge(result.results());
    List<StationStats.Station> stations = all.stations();
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "weather: %,d readings from %d stations, in %d partitions, %.2f s%n",
        all.readings(), stations.size(), result.results().size(), result.elapsed().toMillis() / 1000.0));
    stations.stream().limit(STATIONS_SHOWN).forEach(s -> out.append("  ").append(s.summary()).append('\n'));
    if (stations.size() > STATIONS_SHOWN) {
      out.append("  ... and ").append(stations.size() - STATIONS_SHOWN).append(" more stations\n");
    }
    Comparator<StationStats.Station> byMean = Comparator.comparingLong(StationStats.Station::meanTenths);
    stations.stream().min(byMean).ifPresent(cold -> stations.stream().max(byMean).ifPresent(hot ->
        out.append("  coldest mean: ").append(cold.name()).append(' ').append(StationStats.degrees(cold.meanTenths()))
            .append(", hottest mean: ").append(hot.name()).append(' ').append(StationStats.degrees(hot.meanTenths()))
            .append('\n')));
    partitionsByWorker(result).forEach((worker, partitions) -> out.append(String.format(Locale.ROOT,
        "  %s ran partitions %s (%,d readings)%n", worker,
        partitions.stream().map(p -> String.valueOf(p.index())).collect(Collectors.joining(", ")),
        partitions.stream().mapToLong(p -> result.results().get(p.index()).readings()).sum())));
    result.partitions().stream().filter(p -> p.attempts() > 1).forEach(p -> out.append(String.format(
        Locale.ROOT, "  partition %d took %d attempts%n", p.index(), p.attempts())));
    return out.toString();
  }

  private static Map<String, List<PartitionReport>> partitionsByWorker(JobResult<?> result) {
    return result.partitions().stream()
        .collect(Collectors.groupingBy(PartitionReport::worker, TreeMap::new, Collectors.toList()));
  }
}
