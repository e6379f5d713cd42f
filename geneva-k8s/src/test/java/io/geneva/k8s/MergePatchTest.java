package io.geneva.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JSON merge patch, RFC 7386. */
class MergePatchTest {

  /** The test cases of RFC 7386, appendix A. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"a\":\"b\"}                 | {\"a\":\"c\"}                 | {\"a\":\"c\"}",
      "{\"a\":\"b\"}                 | {\"b\":\"c\"}                 | {\"a\":\"b\",\"b\":\"c\"}",
      "{\"a\":\"b\"}                 | {\"a\":null}                  | {}",
      "{\"a\":\"b\",\"b\":\"c\"}     | {\"a\":null}                  | {\"b\":\"c\"}",
      "{\"a\":[\"b\"]}               | {\"a\":\"c\"}                 | {\"a\":\"c\"}",
      "{\"a\":\"c\"}                 | {\"a\":[\"b\"]}               | {\"a\":[\"b\"]}",
      "{\"a\":{\"b\":\"c\"}}         | {\"a\":{\"b\":\"d\",\"c\":null}} | {\"a\":{\"b\":\"d\"}}",
      "{\"a\":[{\"b\":\"c\"}]}       | {\"a\":[1]}                   | {\"a\":[1]}",
      "[\"a\",\"b\"]                 | [\"c\",\"d\"]                 | [\"c\",\"d\"]",
      "{\"a\":\"b\"}                 | [\"c\"]                       | [\"c\"]",
      "{\"a\":\"foo\"}               | null                          | null",
      "{\"a\":\"foo\"}               | \"bar\"                       | \"bar\"",
      "{\"e\":null}                  | {\"a\":1}                     | {\"e\":null,\"a\":1}",
      "[1,2]                         | {\"a\":\"b\",\"c\":null}      | {\"a\":\"b\"}",
      "{}                            | {\"a\":{\"bb\":{\"ccc\":null}}} | {\"a\":{\"bb\":{}}}"})
  void rfc7386Examples(String target, String patch, String result) {
    assertThat(MergePatch.apply(json(target), json(patch))).isEqualTo(json(result));
  }

  @Test
  void objectsMerge_nullDeletes_arraysReplace() {
    JsonNode target = json("{\"spec\":{\"a\":1,\"b\":{\"c\":2,\"d\":3},\"list\":[1,2,3]}}");
    JsonNode patch = json("{\"spec\":{\"a\":null,\"b\":{\"d\":4},\"list\":[9]}}");

    assertThat(MergePatch.apply(target, patch)).isEqualTo(json("{\"spec\":{\"b\":{\"c\":2,\"d\":4},\"list\":[9]}}"));
  }

  @Test
  void apply_changesNeitherArgument() {
    JsonNode target = json("{\"a\":{\"b\":1}}");
    JsonNode patch = json("{\"a\":{\"c\":{\"d\":2}}}");

    JsonNode result = MergePatch.apply(target, patch);
    ((com.fasterxml.jackson.databind.node.ObjectNode) result.get("a").get("c")).put("d", 3);

    assertThat(target).isEqualTo(json("{\"a\":{\"b\":1}}"));
    assertThat(patch).isEqualTo(json("{\"a\":{\"c\":{\"d\":2}}}"));
  }

  private static JsonNode json(String text) {
    try {
      return Json.JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
