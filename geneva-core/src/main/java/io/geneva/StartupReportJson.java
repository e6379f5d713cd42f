package io.geneva;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geneva.internal.json.JsonWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link StartupReport}'s JSON: written by hand (Jackson's start-up would cost a fresh JVM more
 * than the report is worth) and read through Jackson's tree, field by field, so the field names are
 * the accessors' names and a report written by another version still reads.
 */
final class StartupReportJson {
  /** Jackson, for reading only, initialised on first use. */
  private static final class Reader {
    static final ObjectMapper JSON = new ObjectMapper();
  }

  private StartupReportJson() {}

  static String write(StartupReport r) {
    JsonWriter json = JsonWriter.indented(1024 + r.packages().size() * 240);
    json.beginObject()
        .name("manifestDigest").value(r.manifestDigest())
        .name("manifestUri").value(r.manifestUri())
        .name("elapsedMillis").value(r.elapsedMillis())
        .name("phases").beginObject();
    r.phases().forEach((phase, millis) -> json.name(phase).value(millis));
    json.endObject()
        .name("files").value(r.files())
        .name("filesHashed").value(r.filesHashed())
        .name("bytesScanned").value(r.bytesScanned())
        .name("bytesHashed").value(r.bytesHashed())
        .name("bytesPacked").value(r.bytesPacked())
        .name("bytesUploaded").value(r.bytesUploaded())
        .name("packagesUploaded").value(r.packagesUploaded())
        .name("packagesReused").value(r.packagesReused())
        .name("packages").beginArray();
    for (PackageReport p : r.packages()) {
      json.beginObject()
          .name("source").value(p.source())
          .name("kind").value(p.kind().name())
          .name("digest").value(p.digest())
          .name("size").value(p.size())
          .name("uploaded").value(p.uploaded())
          .name("reason").value(p.reason())
          .endObject();
    }
    json.endArray().name("advice").beginArray();
    r.advice().forEach(json::value);
    json.endArray().name("warnings").beginArray();
    r.warnings().forEach(json::value);
    return json.endArray().endObject().toString();
  }

  static StartupReport read(String json) {
    JsonNode root;
    try {
      root = Reader.JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a Geneva startup report: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject() || !root.path("manifestDigest").isTextual()
        || !root.path("manifestUri").isTextual()) {
      throw new IllegalArgumentException(
          "not a Geneva startup report: expected a JSON object with a manifestDigest and a manifestUri");
    }
    StartupReport.Builder b = StartupReport.builder()
        .manifestDigest(root.get("manifestDigest").asText())
        .manifestUri(root.get("manifestUri").asText())
        .elapsedMillis(root.path("elapsedMillis").asLong())
        .files(root.path("files").asLong())
        .filesHashed(root.path("filesHashed").asLong())
        .bytesScanned(root.path("bytesScanned").asLong())
        .bytesHashed(root.path("bytesHashed").asLong())
        .bytesPacked(root.path("bytesPacked").asLong())
        .bytesUploaded(root.path("bytesUploaded").asLong())
        .packagesUploaded(root.path("packagesUploaded").asInt())
        .packagesReused(root.path("packagesReused").asInt())
        .advice(texts(root.path("advice")))
        .warnings(texts(root.path("warnings")));
    Map<String, Long> phases = new LinkedHashMap<>();
    root.path("phases").fields().forEachRemaining(e -> phases.put(e.getKey(), e.getValue().asLong()));
    List<PackageReport> packages = new ArrayList<>();
    for (JsonNode p : root.path("packages")) {
      packages.add(packageReport(p));
    }
    return b.phases(phases).packages(packages).build();
  }

  private static PackageReport packageReport(JsonNode p) {
    try {
      return new PackageReport(p.path("source").asText(), EntryKind.valueOf(p.path("kind").asText()),
          p.path("digest").asText(), p.path("size").asLong(), p.path("uploaded").asBoolean(), p.path("reason").asText());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a Geneva startup report: package " + p + " has an unknown kind", e);
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
