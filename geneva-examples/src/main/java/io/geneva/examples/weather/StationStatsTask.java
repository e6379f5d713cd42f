package io.geneva.examples.weather;

import io.geneva.Task;
import io.geneva.TaskContext;

/**
 * Minimum, mean and maximum temperature per station over one partition of a {@linkplain
 * MeasurementsFile measurements data set}; merge the partitions' results with {@link
 * StationStats#merge(java.util.Collection)}.
 *
 * <p>The data set is a resource read through this class's own loader: on a worker that is the
 * loader of the session's manifest, so the data travels with the code, in the same packages. The
 * job parameter {@value #DATA_SET} names the resource (default {@value #SHIPPED_DATA_SET}).
 *
 * <p>Geneva creates one instance per partition attempt; the task keeps no state, so an attempt
 * that is retried gives the same result.
 */
public class StationStatsTask implements Task<StationStats> {
  /** The job parameter naming the data set's resource. */
  public static final String DATA_SET = "dataSet";

  /** The data set this module ships: 20,000 readings over 40 stations. */
  public static final String SHIPPED_DATA_SET = "io/geneva/examples/weather/measurements.csv";

  /** The constructor Geneva calls on the worker. */
  public StationStatsTask() {}

  @Override
  public StationStats run(TaskContext context) {
    String resource = context.parameter(DATA_SET).orElse(SHIPPED_DATA_SET);
    return MeasurementsFile.fromResource(StationStatsTask.class.getClassLoader(), resource)
        .stats(context.partition(), context.partitions());
  }
}
