package io.geneva.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunOutputTest {
  /** What geneva run --json prints, cut to what the bench reads (and a few keys it does not). */
  static final String REPORT = """
      {
        "jobId" : "job-1",
        "results" : [ 0, 1 ],
        "partitions" : [ { "index" : 0, "attempts" : 1, "worker" : "local-1" } ],
        "workers" : [ {
          "worker" : "local-1", "pid" : 4242, "packagesFetched" : 1, "packagesFromCache" : 0,
          "bytesFetched" : 900, "bootstrapMillis" : 610, "alreadyReady" : false, "replaced" : "",
          "classData" : "using class data 0123456789ab (AOT cache, JDK 25)"
        }, {
          "worker" : "local-2", "pid" : 4243, "packagesFetched" : 0, "packagesFromCache" : 1,
          "bytesFetched" : 0, "bootstrapMillis" : 580, "alreadyReady" : true, "replaced" : "",
          "classData" : "using class data 0123456789ab (AOT cache, JDK 25)"
        } ],
        "firstResultMillis" : 1500,
        "jobMillis" : 90,
        "totalMillis" : 1530,
        "phases" : {
          "scan" : { "startMillis" : 300, "endMillis" : 320 },
          "manifest" : { "startMillis" : 400, "endMillis" : 410 },
          "provision" : { "startMillis" : 420, "endMillis" : 900 },
          "warmup" : { "startMillis" : 900, "endMillis" : 1420 },
          "job" : { "startMillis" : 1440, "endMillis" : -1 }
        },
        "startup" : { "manifestDigest" : "abc" }
      }
      """;

  @Test
  void runReport_isReadWithTimingResultsWorkersAndPhases() {
    RunOutput o = RunOutput.parse(REPORT, "geneva");

    assertThat(o.firstResultMillis()).isEqualTo(1500);
    assertThat(o.totalMillis()).isEqualTo(1530);
    assertThat(o.jobMillis()).isEqualTo(90);
    assertThat(o.results()).containsExactly("0", "1");
    assertThat(o.workers()).containsExactly(
        new RunOutput.Worker("local-1", 4242, 1, 610, false, "using class data 0123456789ab (AOT cache, JDK 25)"),
        new RunOutput.Worker("local-2", 4243, 0, 580, true, "using class data 0123456789ab (AOT cache, JDK 25)"));
    assertThat(o.phases().keySet()).containsExactly("scan", "manifest", "provision", "warmup", "job");
    assertThat(o.phase("provision").orElseThrow().millis()).isEqualTo(480);
    assertThat(o.phase("job").orElseThrow().millis()).as("not finished").isEqualTo(-1);
    assertThat(o.packagedMillis()).isEqualTo(410);
    assertThat(o.jobToFirstResultMillis()).isEqualTo(60);
    assertThat(o.everyWorkerClassData("using class data")).isTrue();
    assertThat(o.everyWorkerClassData("skipped class data")).isFalse();
  }

  @Test
  void reportWithoutPhases_isRead_andTheBreakdownIsUnknown() {
    RunOutput o = RunOutput.parse(REPORT.replace("\"phases\"", "\"notPhases\""), "geneva");

    assertThat(o.phases()).isEmpty();
    assertThat(o.packagedMillis()).isEqualTo(-1);
    assertThat(o.jobToFirstResultMillis()).isEqualTo(-1);
    assertThat(o.firstResultMillis()).isEqualTo(1500);
  }

  @Test
  void structuredResults_keepTheirJsonText() {
    RunOutput o = RunOutput.parse(REPORT.replace("[ 0, 1 ]", "[ {\"square\":4} ]"), "geneva");

    assertThat(o.results()).containsExactly("{\"square\":4}");
  }

  @Test
  void notJson_isABenchErrorNamingTheCommandAndOption() {
    assertThatThrownBy(() -> RunOutput.parse("Geneva packaged 3 packages\n", "/opt/geneva"))
        .isInstanceOf(BenchException.class)
        .hasMessageContaining("/opt/geneva run --json printed no run report (it is not JSON")
        .hasMessageContaining("--geneva-command");
  }

  @Test
  void jsonThatIsNoRunReport_isABenchError() {
    assertThatThrownBy(() -> RunOutput.parse("{\"manifestDigest\": \"abc\"}", "geneva"))
        .isInstanceOf(BenchException.class)
        .hasMessageContaining("firstResultMillis, workers or results is missing");
  }

  @Test
  void noWorkers_meansNoWorkerUsedTheCache() {
    RunOutput o = new RunOutput(1, 1, 1, List.of(), List.of(), Map.of());

    assertThat(o.everyWorkerClassData("")).isFalse();
  }
}
