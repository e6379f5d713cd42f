package io.geneva.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonWriterTest {
  private static String sample(JsonWriter json) {
    return json.beginObject()
        .name("text").value("quote\" backslash\\ \n\t\u0001 é")
        .name("number").value(-42)
        .name("flag").value(true)
        .name("empty").beginArray().endArray()
        .name("nested").beginArray().beginObject().name("a").value(1).endObject().value("x").endArray()
        .name("none").beginObject().endObject()
        .endObject()
        .toString();
  }

  @Test
  void compactOutput_isWhatJacksonWritesForTheSameTree() throws Exception {
    String written = sample(JsonWriter.compact(64));
    ObjectMapper jackson = new ObjectMapper();
    JsonNode tree = jackson.readTree(written);
    assertThat(written).isEqualTo(jackson.writeValueAsString(tree));
  }

  @Test
  void indentedOutput_parsesToTheSameTree() throws Exception {
    ObjectMapper jackson = new ObjectMapper();
    assertThat(jackson.readTree(sample(JsonWriter.indented(64))))
        .isEqualTo(jackson.readTree(sample(JsonWriter.compact(64))));
    assertThat(sample(JsonWriter.indented(64))).contains("\n  \"number\" : -42");
  }
}
