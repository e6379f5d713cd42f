package io.geneva;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.testfixture.SquareTask;
import org.junit.jupiter.api.Test;

class TaskResourcesTest {

  @Test
  void aJobAsksOneCpuPerTask_unlessToldOtherwise() {
    assertThat(Job.of(SquareTask.class).resources()).isEqualTo(TaskResources.DEFAULT);
    assertThat(Job.of(SquareTask.class).resources(new TaskResources(0.5, 2, 1L << 30)).partitions(3).resources())
        .isEqualTo(new TaskResources(0.5, 2, 1L << 30));
  }

  @Test
  void describe_readsLikeARequest() {
    assertThat(TaskResources.DEFAULT.describe()).isEqualTo("1 CPU");
    assertThat(new TaskResources(2, 1, 4L << 30).describe()).isEqualTo("2 CPUs, 1 GPU, 4 GiB");
    assertThat(new TaskResources(0.5, 2, 512L << 20).describe()).isEqualTo("0.5 CPUs, 2 GPUs, 512 MiB");
  }

  @Test
  void valuesOutOfRange_areRefusedNamingTheValue() {
    assertThatThrownBy(() -> new TaskResources(0, 0, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a task needs a positive, finite number of CPUs, not 0.0");
    assertThatThrownBy(() -> new TaskResources(Double.NaN, 0, 0)).hasMessageContaining("not NaN");
    assertThatThrownBy(() -> new TaskResources(1, -1, 0)).hasMessage("a task's GPUs cannot be negative: -1");
    assertThatThrownBy(() -> new TaskResources(1, 0, -5)).hasMessage("a task's memory cannot be negative: -5 bytes");
    assertThatThrownBy(() -> Job.of(SquareTask.class).resources(null)).isInstanceOf(NullPointerException.class);
  }
}
