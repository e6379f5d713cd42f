package io.geneva.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** "Did you mean": typos, case and separators find the known word; unrelated words find none. */
class ClosestTest {
  private static final List<String> KNOWN =
      List.of("name", "namespace", "image", "serviceAccount", "workerGroups", "minReplicas", "maxReplicas");

  @ParameterizedTest
  @CsvSource({
      "workerGroup, workerGroups", "worker_groups, workerGroups", "WORKERGROUPS, workerGroups",
      "service-account, serviceAccount", "imgae, image", "nmae, name", "namespce, namespace",
      "minReplica, minReplicas", "maxReplica, maxReplicas"})
  void typo_findsTheKnownWord(String given, String expected) {
    assertThat(Closest.match(given, KNOWN)).contains(expected);
  }

  @ParameterizedTest
  @CsvSource({"colour", "x", "replicas2000", "tolerations"})
  void unrelatedWord_findsNone(String given) {
    assertThat(Closest.match(given, KNOWN)).isEmpty();
  }
}
