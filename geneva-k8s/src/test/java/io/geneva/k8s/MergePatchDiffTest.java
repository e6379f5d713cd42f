package io.geneva.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The merge patch between two documents: applying it to the first gives the second. */
class MergePatchDiffTest {
  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) Json.JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void diff_removesDroppedFields_replacesChangedValuesAndArrays_andRecursesIntoObjects() {
    ObjectNode from = json("{\"a\":1,\"gone\":true,\"m\":{\"keep\":\"x\",\"drop\":\"y\"},\"list\":[1,2]}");
    ObjectNode to = json("{\"a\":2,\"m\":{\"keep\":\"x\",\"new\":\"z\"},\"list\":[1,2,3]}");

    ObjectNode patch = MergePatch.diff(from, to);

    assertThat(patch).isEqualTo(json("{\"gone\":null,\"a\":2,\"m\":{\"drop\":null,\"new\":\"z\"},\"list\":[1,2,3]}"));
    assertThat(MergePatch.apply(from, patch)).isEqualTo(to);
  }

  @Test
  void diff_ofEqualDocuments_isEmpty_evenWithNumbersWrittenDifferently() {
    ObjectNode from = json("{\"replicas\":2.0,\"m\":{\"x\":[1.0,{\"y\":3}]}}");
    ObjectNode to = json("{\"replicas\":2,\"m\":{\"x\":[1,{\"y\":3.0}]}}");

    assertThat(MergePatch.diff(from, to)).isEmpty();
    assertThat(MergePatch.same(from, to)).isTrue();
  }

  @Test
  void diff_betweenTwoRenderings_turnsOneIntoTheOther() {
    ObjectNode from = RayClusterRenderer.render(Specs.full());
    ObjectNode to = RayClusterRenderer.render(Specs.design());

    JsonNode patched = MergePatch.apply(from, MergePatch.diff(from, to));

    assertThat(patched).isEqualTo(to);
  }
}
