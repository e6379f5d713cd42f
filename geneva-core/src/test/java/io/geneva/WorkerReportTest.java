package io.geneva;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.testing.EqualsTester;
import com.google.common.testing.NullPointerTester;
import org.junit.jupiter.api.Test;

/** A worker's report as a value built by its builder. */
class WorkerReportTest {
  private static WorkerReport fetched() {
    return WorkerReport.builder("local-0")
        .pid(4241)
        .packagesFetched(3)
        .packagesFromCache(14)
        .bytesFetched(3_145_728)
        .bootstrapMillis(412)
        .build();
  }

  @Test
  void builder_setsWhatItIsGiven() {
    WorkerReport r = fetched();

    assertThat(r.worker()).isEqualTo("local-0");
    assertThat(r.pid()).isEqualTo(4241);
    assertThat(r.packagesFetched()).isEqualTo(3);
    assertThat(r.packagesFromCache()).isEqualTo(14);
    assertThat(r.bytesFetched()).isEqualTo(3_145_728);
    assertThat(r.bootstrapMillis()).isEqualTo(412);
    assertThat(r.alreadyReady()).isFalse();
    assertThat(r.replaced()).isEmpty();
  }

  @Test
  void builder_ofANameOnly_isAReportWithNoProcessAndNothingDone() {
    WorkerReport r = WorkerReport.builder("ray-node-1").build();

    assertThat(r.pid()).isEqualTo(-1);
    assertThat(r.packagesFetched()).isZero();
    assertThat(r.bootstrapMillis()).isZero();
    assertThat(r.alreadyReady()).isFalse();
    assertThat(r.replaced()).isEmpty();
  }

  @Test
  void replacing_changesOnlyWhatWasReplaced() {
    WorkerReport r = fetched();

    WorkerReport replacing = r.replacing("local-1 (pid 4242) is gone");

    assertThat(replacing.replaced()).isEqualTo("local-1 (pid 4242) is gone");
    assertThat(replacing.toBuilder().replaced("").build()).isEqualTo(r);
  }

  @Test
  void rejectsNulls() {
    NullPointerTester tester = new NullPointerTester();
    tester.testAllPublicStaticMethods(WorkerReport.class);
    tester.testAllPublicInstanceMethods(fetched());
    tester.testAllPublicInstanceMethods(WorkerReport.builder("w"));
  }

  @Test
  void equalsAndHashCode_compareEveryField() {
    WorkerReport r = fetched();
    new EqualsTester()
        .addEqualityGroup(r, r.toBuilder().build())
        .addEqualityGroup(WorkerReport.builder("local-9").pid(4241).packagesFetched(3).packagesFromCache(14)
            .bytesFetched(3_145_728).bootstrapMillis(412).build())
        .addEqualityGroup(r.toBuilder().pid(1).build())
        .addEqualityGroup(r.toBuilder().packagesFetched(1).build())
        .addEqualityGroup(r.toBuilder().packagesFromCache(1).build())
        .addEqualityGroup(r.toBuilder().bytesFetched(1).build())
        .addEqualityGroup(r.toBuilder().bootstrapMillis(1).build())
        .addEqualityGroup(r.toBuilder().alreadyReady(true).build())
        .addEqualityGroup(r.toBuilder().replaced("local-1").build())
        .testEquals();
  }
}
