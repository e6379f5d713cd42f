package io.geneva.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.WarmStart;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunSpecTest {
  private final WorkArea.Store store = new WorkArea.Store(Path.of("/work/runs/w1"));
  private final RunSpec fresh = new RunSpec(List.of(Path.of("/p/classes"), Path.of("/deps/a.jar")), Path.of("/p/classes"),
      store, "io.example.Task", WarmStart.OFF, false, Path.of("/jdk/bin/java"));

  @Test
  void freshWorkers_runTwoPartitionsOnTwoWorkersThatAreStoppedAfterwards_asJson() {
    assertThat(fresh.arguments()).containsExactly(
        "run",
        "--classpath", "/p/classes" + File.pathSeparator + "/deps/a.jar",
        "--project-dir", "/p/classes",
        "--home", "/work/runs/w1/home",
        "--storage", "/work/runs/w1/store",
        "--job", "io.example.Task",
        "--partitions", "2",
        "--workers", "2",
        "--warm-start", "off",
        "--worker-java", "/jdk/bin/java",
        "--exit-policy", "delete",
        "--json");
  }

  @Test
  void retainedWorkers_areKeptWithAnIdleTimeout_inTheirOwnStore() {
    WorkArea.Store other = new WorkArea.Store(Path.of("/work/runs/w2"));

    List<String> args = fresh.withStore(other, true).arguments();

    assertThat(String.join(" ", args))
        .contains("--home /work/runs/w2/home", "--storage /work/runs/w2/store")
        .contains("--exit-policy retain --idle-timeout 5m --json");
  }

  @Test
  void warmStartModes_areSpelledAsTheRunCommandTakesThem() {
    assertThat(RunSpec.word(WarmStart.OFF)).isEqualTo("off");
    assertThat(RunSpec.word(WarmStart.CLASS_PATH)).isEqualTo("class-path");
    assertThat(RunSpec.word(WarmStart.CLASS_DATA_CACHE)).isEqualTo("class-data-cache");
    assertThat(String.join(" ", fresh.withWarmStart(WarmStart.CLASS_DATA_CACHE, store).arguments()))
        .contains("--warm-start class-data-cache");
  }

  @Test
  void otherWorkerJava_changesOnlyTheWorkersJava() {
    List<String> args = fresh.withWorkerJava(Path.of("/other/bin/java")).arguments();

    assertThat(args).containsSequence("--worker-java", "/other/bin/java");
    assertThat(args).hasSameSizeAs(fresh.arguments());
  }
}
