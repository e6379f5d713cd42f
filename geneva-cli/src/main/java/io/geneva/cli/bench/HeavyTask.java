package io.geneva.cli.bench;

import io.geneva.Task;
import io.geneva.TaskContext;

/**
 * A task heavy in classes: parses and prints a SQL query with Spark SQL's parser (Catalyst, ANTLR,
 * Scala's collections: a few thousand classes), found by reflection on the shipped classpath, so this
 * class compiles without Spark. Returns the length of the parsed plan's text. Public for workers.
 */
public final class HeavyTask implements Task<Integer> {
  static final String QUERY = "SELECT a, sum(b) AS s, count(DISTINCT c) FROM t JOIN u ON t.id = u.id"
      + " WHERE c > 3 AND d LIKE 'x%' GROUP BY a HAVING sum(b) > 10 ORDER BY s DESC LIMIT 10";

  /** For workers. */
  public HeavyTask() {}

  @Override
  public Integer run(TaskContext context) throws Exception {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    Class<?> parser = Class.forName("org.apache.spark.sql.catalyst.parser.CatalystSqlParser$", true, loader);
    Object instance = parser.getField("MODULE$").get(null);
    Object plan = parser.getMethod("parsePlan", String.class).invoke(instance, QUERY);
    return plan.toString().length() + context.partition();
  }
}
