package io.geneva.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code geneva run} against real worker processes, shipping geneva-core's test task classes. Each run
 * starts JVMs, so the tests run the command as few times as they can.
 */
class RunCommandTest {
  @TempDir Path dir;
  Path classes;
  Path home;
  Path storage;

  @BeforeEach
  void setUp() throws IOException {
    classes = TaskFixtures.copyInto(dir.resolve("project").resolve("classes"));
    home = dir.resolve("home");
    storage = dir.resolve("storage");
  }

  private String[] runArgs(String... extra) {
    List<String> args = new ArrayList<>(List.of(
        "run", "--storage", storage.toString(), "--home", home.toString(), "--classpath", classes.toString(),
        "--project-dir", dir.resolve("project").toString(), "--job", TaskFixtures.SQUARE_TASK));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  private static JsonNode json(Cli.Result r) throws IOException {
    assertThat(r.exit()).as(r.err()).isZero();
    return Workspace.JSON.readTree(r.out());
  }

  @Test
  void run_json_reportsResultsInPartitionOrderWithPartitionsWorkersTimingAndStartup() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    JsonNode report = json(Cli.run(runArgs("--partitions", "5", "--workers", "2", "--worker-java", java, "--json")));

    List<Long> squares = new ArrayList<>();
    for (int i = 0; i < report.get("results").size(); i++) {
      JsonNode result = report.get("results").get(i);
      assertThat(result.get("partition").asInt()).isEqualTo(i);
      assertThat(result.get("loader").asText()).startsWith("geneva-manifest-");
      squares.add(result.get("square").asLong());
    }
    assertThat(squares).containsExactly(0L, 1L, 4L, 9L, 16L);
    JsonNode partitions = report.get("partitions");
    assertThat(partitions).hasSize(5);
    for (int i = 0; i < 5; i++) {
      assertThat(partitions.get(i).get("index").asInt()).isEqualTo(i);
      assertThat(partitions.get(i).get("attempts").asInt()).isEqualTo(1);
      assertThat(partitions.get(i).get("worker").asText())
          .isIn("local-1", "local-2")
          .isEqualTo(report.get("results").get(i).get("worker").asText());
    }
    JsonNode startup = report.get("startup");
    assertThat(startup.isObject()).as("startup is embedded as an object").isTrue();
    assertThat(startup.get("manifestDigest").asText()).matches("[0-9a-f]{64}");
    int packages = startup.get("packages").size();
    JsonNode workers = report.get("workers");
    assertThat(workers).hasSize(2);
    int fetched = 0;
    for (JsonNode w : workers) {
      assertThat(w.get("worker").asText()).isIn("local-1", "local-2");
      assertThat(w.get("pid").asLong()).isPositive().isNotEqualTo(ProcessHandle.current().pid());
      assertThat(w.get("alreadyReady").asBoolean()).isFalse();
      assertThat(w.get("packagesFetched").asInt() + w.get("packagesFromCache").asInt()).isEqualTo(packages);
      assertThat(w.get("bootstrapMillis").asLong()).isNotNegative();
      fetched += w.get("packagesFetched").asInt();
    }
    assertThat(fetched).as("a fresh home's node cache has nothing: some worker fetched").isPositive();
    assertThat(report.get("firstResultMillis").asLong())
        .isPositive()
        .isLessThanOrEqualTo(report.get("totalMillis").asLong());
    JsonNode phases = report.get("phases");
    assertThat(phases.fieldNames()).toIterable().contains("scan", "manifest", "provision", "warmup", "job");
    for (String phase : List.of("provision", "warmup", "job")) {
      assertThat(phases.get(phase).get("startMillis").asLong()).as(phase).isNotNegative()
          .isLessThanOrEqualTo(phases.get(phase).get("endMillis").asLong());
    }
    assertThat(phases.get("warmup").get("endMillis").asLong())
        .isLessThanOrEqualTo(phases.get("job").get("startMillis").asLong());
    assertThat(phases.get("job").get("startMillis").asLong())
        .isLessThanOrEqualTo(report.get("firstResultMillis").asLong());
    // With the default exit policy the workers are gone once the command returns.
    assertThat(workers.findValuesAsText("pid"))
        .allSatisfy(pid -> assertThat(ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive)).isEmpty());
  }

  @Test
  void run_retainedWorkers_areReusedWarmByTheNextRunWithTheSameSettings() throws IOException {
    try {
      Cli.Result first = Cli.run(runArgs("--partitions", "3", "--workers", "2", "--exit-policy", "retain",
          "--idle-timeout", "2m"));
      assertThat(first.exit()).as(first.err()).isZero();
      assertThat(first.out())
          .startsWith("Geneva packaged")
          .contains("2 workers:", "local-1 (pid ", "local-2 (pid ", "fetched", "job job-", "3 partitions",
              "2: Square[partition=2, square=4", "first result ")
          .doesNotContain("warm: had this manifest already");
      List<Long> retained = TaskFixtures.recordedWorkerPids(home);
      assertThat(retained).hasSize(2);

      JsonNode second = json(Cli.run(runArgs("--partitions", "3", "--workers", "2", "--exit-policy", "retain",
          "--idle-timeout", "2m", "--json")));

      assertThat(second.get("workers")).hasSize(2).allSatisfy(w -> {
        assertThat(w.get("packagesFetched").asInt()).isZero();
        assertThat(w.get("alreadyReady").asBoolean()).isTrue();
        assertThat(w.get("pid").asLong()).isIn(retained);
      });
      assertThat(second.get("results").findValuesAsText("square")).containsExactly("0", "1", "4");
    } finally {
      TaskFixtures.stopRetainedWorkers(home);
    }
  }
}
