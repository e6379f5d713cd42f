package io.geneva.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.testing.EqualsTester;
import com.google.common.testing.NullPointerTester;
import io.geneva.Job;
import io.geneva.TaskResources;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A job request carries a manifest URI every cluster can parse, or is not made at all; it is a value
 * built by its builder.
 */
class JobRequestTest {
  private static final String DIGEST = "ab".repeat(32);
  private static final URI MANIFEST = URI.create("s3://bucket/geneva/manifests/" + DIGEST + ".json");
  private static final URI OTHER_MANIFEST = URI.create("s3://other/geneva/manifests/" + DIGEST + ".json");

  /** A builder with every required field set and nothing else. */
  private static JobRequest.Builder minimal() {
    return JobRequest.builder().jobId("j").taskClass("x.Task").partitions(2).maxAttempts(1).manifestUri(MANIFEST);
  }

  private static JobRequest full() {
    return minimal()
        .parameters(Map.of("k", "v"))
        .resources(new TaskResources(2, 1, 1L << 30))
        .taskTimeout(Duration.ofMinutes(5))
        .build();
  }

  @Test
  void manifest_splitsTheUriIntoStorageRootAndDigest() {
    JobRequest r = minimal().build();

    assertThat(r.manifest().storageRoot()).isEqualTo(URI.create("s3://bucket/geneva/"));
    assertThat(r.manifest().digest()).isEqualTo(DIGEST);
    assertThat(r.manifest().uri()).isEqualTo(r.manifestUri());
  }

  @Test
  void aUriThatIsNotAManifest_isRefusedWhenTheRequestIsMade() {
    JobRequest.Builder builder = minimal().manifestUri(URI.create("s3://bucket/geneva/x.json"));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("s3://bucket/geneva/x.json")
        .hasMessageContaining("not in a manifests/ directory");
  }

  @Test
  void aManifestUriWithCredentials_isRefusedWithoutRepeatingThem() {
    JobRequest.Builder builder =
        minimal().manifestUri(URI.create("s3://key:secret@bucket/geneva/manifests/" + DIGEST + ".json"));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("credentials")
        .hasMessageNotContaining("secret");
  }

  @Test
  void builder_setsWhatItIsGiven() {
    JobRequest r = full();

    assertThat(r.jobId()).isEqualTo("j");
    assertThat(r.taskClass()).isEqualTo("x.Task");
    assertThat(r.partitions()).isEqualTo(2);
    assertThat(r.maxAttempts()).isEqualTo(1);
    assertThat(r.parameters()).containsExactly(Map.entry("k", "v"));
    assertThat(r.manifestUri()).isEqualTo(MANIFEST);
    assertThat(r.resources()).isEqualTo(new TaskResources(2, 1, 1L << 30));
    assertThat(r.taskTimeout()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void builder_ofTheRequiredFieldsOnly_hasNoParametersDefaultResourcesAndTheDefaultTimeout() {
    JobRequest r = minimal().build();

    assertThat(r.parameters()).isEmpty();
    assertThat(r.resources()).isEqualTo(TaskResources.DEFAULT);
    assertThat(r.taskTimeout()).isEqualTo(Job.DEFAULT_TASK_TIMEOUT);
  }

  @Test
  void builder_withoutARequiredField_namesIt() {
    assertThatThrownBy(() -> JobRequest.builder().taskClass("x.Task").partitions(2).maxAttempts(1).manifestUri(MANIFEST)
        .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a job request needs its jobId; set it on the builder");
    assertThatThrownBy(() -> JobRequest.builder().jobId("j").partitions(2).maxAttempts(1).manifestUri(MANIFEST).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("taskClass");
    assertThatThrownBy(() -> JobRequest.builder().jobId("j").taskClass("x.Task").maxAttempts(1).manifestUri(MANIFEST)
        .build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("partitions");
    assertThatThrownBy(() -> JobRequest.builder().jobId("j").taskClass("x.Task").partitions(2).manifestUri(MANIFEST)
        .build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> JobRequest.builder().jobId("j").taskClass("x.Task").partitions(2).maxAttempts(1).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("manifestUri");
  }

  @Test
  void aCountThatIsNotPositive_isRefused() {
    assertThatThrownBy(() -> minimal().partitions(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("partitions and maxAttempts must be positive");
    assertThatThrownBy(() -> minimal().maxAttempts(-1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("partitions and maxAttempts must be positive");
  }

  @Test
  void aTimeoutThatIsNotPositive_isRefused() {
    assertThatThrownBy(() -> minimal().taskTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("taskTimeout must be positive, not PT0S");
    assertThatThrownBy(() -> minimal().taskTimeout(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("taskTimeout must be positive, not PT-1S");
  }

  @Test
  void request_isImmutable_copyingItsParameters() {
    Map<String, String> parameters = new HashMap<>(Map.of("k", "v"));
    JobRequest.Builder builder = minimal().parameters(parameters);
    JobRequest r = builder.build();

    parameters.put("k2", "v2");

    assertThat(r.parameters()).containsOnlyKeys("k");
    assertThat(builder.build()).as("a later build copies anew").isNotEqualTo(r);
    assertThatThrownBy(() -> r.parameters().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void parametersHoldingNull_areRefused() {
    Map<String, String> parameters = new HashMap<>();
    parameters.put("k", null);

    assertThatThrownBy(() -> minimal().parameters(parameters).build()).isInstanceOf(NullPointerException.class);
  }

  @Test
  void toString_namesTheParametersButNotTheirValues() {
    JobRequest r = minimal().parameters(Map.of("token", "s3cr3t")).build();

    assertThat(r.toString()).contains("jobId=j", "taskClass=x.Task", "token", MANIFEST.toString())
        .doesNotContain("s3cr3t");
  }

  @Test
  void rejectsNulls() {
    NullPointerTester tester = new NullPointerTester()
        .setDefault(URI.class, MANIFEST)
        .setDefault(TaskResources.class, TaskResources.DEFAULT);
    tester.testAllPublicStaticMethods(JobRequest.class);
    tester.testAllPublicInstanceMethods(full());
    tester.testAllPublicInstanceMethods(JobRequest.builder());
  }

  @Test
  void toBuilder_derivesACopyThatDiffersOnlyWhereChanged() {
    JobRequest r = full();

    JobRequest changed = r.toBuilder().partitions(9).build();

    assertThat(r.toBuilder().build()).isEqualTo(r);
    assertThat(changed.partitions()).isEqualTo(9);
    assertThat(changed.toBuilder().partitions(r.partitions()).build()).isEqualTo(r);
  }

  @Test
  void equalsAndHashCode_compareEveryField() {
    JobRequest r = full();
    new EqualsTester()
        .addEqualityGroup(r, r.toBuilder().build(), full())
        .addEqualityGroup(r.toBuilder().jobId("other").build())
        .addEqualityGroup(r.toBuilder().taskClass("x.Other").build())
        .addEqualityGroup(r.toBuilder().partitions(3).build())
        .addEqualityGroup(r.toBuilder().maxAttempts(2).build())
        .addEqualityGroup(r.toBuilder().parameters(Map.of()).build())
        .addEqualityGroup(r.toBuilder().manifestUri(OTHER_MANIFEST).build())
        .addEqualityGroup(r.toBuilder().resources(TaskResources.DEFAULT).build())
        .addEqualityGroup(r.toBuilder().taskTimeout(Duration.ofMinutes(6)).build())
        .testEquals();
  }
}
