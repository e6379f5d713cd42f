package io.geneva;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.testing.EqualsTester;
import com.google.common.testing.NullPointerTester;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The startup report as a value: its JSON, which users and benchmarks read, and its summary. */
class StartupReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DIGEST = "ab".repeat(32);

  private static StartupReport sample() {
    Map<String, Long> phases = new LinkedHashMap<>();
    phases.put("scan", 12L);
    phases.put("fingerprint", 340L);
    phases.put("pack", 1_200L);
    phases.put("publish", 80L);
    phases.put("manifest", 2L);
    return StartupReport.builder()
        .manifestDigest(DIGEST)
        .manifestUri("file:///srv/geneva/manifests/" + DIGEST + ".json")
        .elapsedMillis(1_634)
        .phases(phases)
        .files(10_117)
        .filesHashed(9_943)
        .bytesScanned(264_241_152)
        .bytesHashed(34_603_008)
        .bytesPacked(31_457_280)
        .bytesUploaded(1_048_576)
        .packagesUploaded(3)
        .packagesReused(147)
        .packages(List.of(
            new PackageReport("classes#3", EntryKind.WORKSPACE, "cd".repeat(32), 524_288, true, "changed com/acme/Main.class"),
            new PackageReport("guava-33.8.0-jre.jar", EntryKind.DEPENDENCY, "ef".repeat(32), 3_145_728, false, "unchanged")))
        .advice(List.of("1 file(s) in /work/notebooks change on most runs (analysis.ipynb)"))
        .warnings(List.of("skipped classpath entry /gone.jar: it does not exist"))
        .build();
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void toJson_usesTheDocumentedFieldNames() throws Exception {
    JsonNode json = JSON.readTree(sample().toJson());

    assertThat(fieldNames(json))
        .contains(
            "manifestDigest", "manifestUri", "elapsedMillis", "phases", "files", "bytesHashed", "bytesPacked",
            "bytesUploaded", "packagesUploaded", "packagesReused", "packages", "advice");
    assertThat(json.get("manifestDigest").asText()).isEqualTo(DIGEST);
    assertThat(json.get("elapsedMillis").asLong()).isEqualTo(1_634);
    assertThat(json.get("files").asLong()).isEqualTo(10_117);
    assertThat(json.get("bytesHashed").asLong()).isEqualTo(34_603_008);
    assertThat(json.get("bytesPacked").asLong()).isEqualTo(31_457_280);
    assertThat(json.get("bytesUploaded").asLong()).isEqualTo(1_048_576);
    assertThat(json.get("packagesUploaded").asInt()).isEqualTo(3);
    assertThat(json.get("packagesReused").asInt()).isEqualTo(147);
    assertThat(json.get("advice").get(0).asText()).contains("analysis.ipynb");
  }

  @Test
  void toJson_phasesAreAnObjectOfNameToMillis_inPipelineOrder() throws Exception {
    JsonNode phases = JSON.readTree(sample().toJson()).get("phases");

    assertThat(phases.isObject()).isTrue();
    assertThat(fieldNames(phases)).containsExactly("scan", "fingerprint", "pack", "publish", "manifest");
    assertThat(phases.get("pack").asLong()).isEqualTo(1_200);
  }

  @Test
  void toJson_eachPackageHasSourceKindDigestSizeUploadedAndReason() throws Exception {
    JsonNode p = JSON.readTree(sample().toJson()).get("packages").get(0);

    assertThat(fieldNames(p)).containsExactlyInAnyOrder("source", "kind", "digest", "size", "uploaded", "reason");
    assertThat(p.get("source").asText()).isEqualTo("classes#3");
    assertThat(p.get("kind").asText()).isEqualToIgnoringCase("workspace");
    assertThat(p.get("digest").asText()).isEqualTo("cd".repeat(32));
    assertThat(p.get("size").asLong()).isEqualTo(524_288);
    assertThat(p.get("uploaded").asBoolean()).isTrue();
    assertThat(p.get("reason").asText()).isEqualTo("changed com/acme/Main.class");
  }

  @Test
  void fromJson_ofToJson_givesAnEqualReport() {
    StartupReport report = sample();

    StartupReport back = StartupReport.fromJson(report.toJson());

    assertThat(back).isEqualTo(report);
    assertThat(back.phases().keySet()).containsExactly("scan", "fingerprint", "pack", "publish", "manifest");
  }

  @Test
  void fromJson_ofARealSessionsReport_roundTrips(@TempDir Path tempDir) {
    Sandbox sandbox = new Sandbox(tempDir);
    Path classes = sandbox.project.resolve("classes");
    FixtureFiles.classTree(classes, 20, 1);
    StartupReport report = sandbox.run(classes, sandbox.dependencyJar("dep", 2));

    assertThat(StartupReport.fromJson(report.toJson())).isEqualTo(report);
  }

  @Test
  void fromJson_ignoresFieldsAddedByALaterVersion() throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(sample().toJson());
    json.put("aFieldFromTheFuture", 42);

    assertThat(StartupReport.fromJson(JSON.writeValueAsString(json))).isEqualTo(sample());
  }

  @Test
  void fromJson_ofSomethingElse_throwsIllegalArgumentException() {
    assertThatThrownBy(() -> StartupReport.fromJson("[1, 2, 3]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("startup report");
    assertThatThrownBy(() -> StartupReport.fromJson("not json at all"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void summary_mentionsTotalsPhasesChangesAdviceAndWarnings() {
    String summary = sample().summary();

    assertThat(summary)
        .contains("10,117 files")
        .contains("252.0 MiB")
        .contains("2 packages")
        .contains("1.63 s")
        .contains("pack 1.20 s")
        .contains("hashed 33.0 MiB")
        .contains("uploaded 1.0 MiB in 3 packages")
        .contains("147 already stored")
        .contains("classes#3")
        .contains("changed com/acme/Main.class")
        .contains("analysis.ipynb")
        .contains("/gone.jar")
        .contains(sample().manifestUri());
    assertThat(summary).doesNotContain("guava-33.8.0-jre.jar").as("unchanged packages are not listed");
  }

  private static StartupReport small(long files, long filesHashed, long bytesUploaded, int packagesUploaded,
      List<PackageReport> packages) {
    return StartupReport.builder().manifestDigest(DIGEST).manifestUri("file:///m").elapsedMillis(5)
        .phases(Map.of("scan", 1L)).files(files).filesHashed(filesHashed).bytesScanned(365)
        .bytesHashed(filesHashed * 100).bytesUploaded(bytesUploaded).packagesUploaded(packagesUploaded)
        .packages(packages).build();
  }

  private static PackageReport pkg(String source, long size, boolean uploaded) {
    return new PackageReport(source, EntryKind.WORKSPACE, "ab".repeat(32), size, uploaded, uploaded ? "new" : "unchanged");
  }

  @Test
  void summary_saysOneInTheSingular() {
    String summary = small(1, 1, 1_000, 1, List.of(pkg("classes#0", 600, true))).summary();

    assertThat(summary)
        .startsWith("Geneva packaged 1 file (365 B) into 1 package in 5 ms")
        .contains("hashed 100 B (1 file)")
        .contains("uploaded 1000 B in 1 package and the manifest")
        .doesNotContain("1 files", "1 packages");
  }

  @Test
  void summary_ofAnUnchangedStart_saysNothingWasHashedOrUploaded() {
    String summary = small(2, 0, 0, 0, List.of(pkg("classes#0", 600, false))).summary();

    assertThat(summary).contains("2 files", "hashed nothing", "uploaded nothing").doesNotContain("0 packages");
  }

  @Test
  void summary_ofAManifestWrittenAgain_saysOnlyTheManifestWasUploaded() {
    // It once read "uploaded 365 B in 0 packages".
    String summary = small(2, 0, 365, 0, List.of(pkg("classes#0", 600, false))).summary();

    assertThat(summary).contains("uploaded the manifest only (365 B)").doesNotContain("0 packages");
  }

  @Test
  void report_isImmutable_copyingWhatItIsGiven() {
    Map<String, Long> phases = new LinkedHashMap<>(Map.of("scan", 1L));
    List<String> advice = new ArrayList<>(List.of("a"));
    StartupReport.Builder builder =
        StartupReport.builder().manifestDigest(DIGEST).manifestUri("file:///m").phases(phases).advice(advice);
    StartupReport report = builder.build();

    phases.put("pack", 2L);
    advice.add("b");

    assertThat(builder.build()).as("a later build copies anew").isNotEqualTo(report);
    assertThat(report.phases()).containsOnlyKeys("scan");
    assertThat(report.advice()).containsExactly("a");
    assertThatThrownBy(() -> report.phases().put("x", 1L)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> report.packages().add(null)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void builder_leavesWhatItIsNotGivenZeroOrEmpty() {
    StartupReport report = StartupReport.builder().manifestDigest(DIGEST).manifestUri("file:///m").build();

    assertThat(report.files()).isZero();
    assertThat(report.packagesUploaded()).isZero();
    assertThat(report.phases()).isEmpty();
    assertThat(report.packages()).isEmpty();
    assertThat(report.warnings()).isEmpty();
  }

  @Test
  void builder_withoutTheManifest_namesWhatIsMissing() {
    assertThatThrownBy(() -> StartupReport.builder().manifestUri("file:///m").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("manifestDigest");
    assertThatThrownBy(() -> StartupReport.builder().manifestDigest(DIGEST).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("manifestUri");
  }

  @Test
  void builder_rejectsNulls() {
    new NullPointerTester().testAllPublicInstanceMethods(StartupReport.builder());
  }

  @Test
  void toBuilder_derivesACopyThatDiffersOnlyWhereChanged() {
    StartupReport report = sample();

    StartupReport changed = report.toBuilder().bytesUploaded(0).build();

    assertThat(report.toBuilder().build()).isEqualTo(report);
    assertThat(changed.bytesUploaded()).isZero();
    assertThat(changed.toBuilder().bytesUploaded(report.bytesUploaded()).build()).isEqualTo(report);
  }

  @Test
  void equalsAndHashCode_compareEveryField() {
    StartupReport report = sample();
    new EqualsTester()
        .addEqualityGroup(report, report.toBuilder().build(), StartupReport.fromJson(report.toJson()))
        .addEqualityGroup(report.toBuilder().manifestDigest("cd".repeat(32)).build())
        .addEqualityGroup(report.toBuilder().manifestUri("file:///other").build())
        .addEqualityGroup(report.toBuilder().elapsedMillis(1).build())
        .addEqualityGroup(report.toBuilder().phases(Map.of()).build())
        .addEqualityGroup(report.toBuilder().files(1).build())
        .addEqualityGroup(report.toBuilder().filesHashed(1).build())
        .addEqualityGroup(report.toBuilder().bytesScanned(1).build())
        .addEqualityGroup(report.toBuilder().bytesHashed(1).build())
        .addEqualityGroup(report.toBuilder().bytesPacked(1).build())
        .addEqualityGroup(report.toBuilder().bytesUploaded(1).build())
        .addEqualityGroup(report.toBuilder().packagesUploaded(1).build())
        .addEqualityGroup(report.toBuilder().packagesReused(1).build())
        .addEqualityGroup(report.toBuilder().packages(List.of()).build())
        .addEqualityGroup(report.toBuilder().advice(List.of()).build())
        .addEqualityGroup(report.toBuilder().warnings(List.of()).build())
        .testEquals();
  }

  @Test
  void fromJson_ofAReportWithoutItsManifest_throwsIllegalArgumentException() {
    assertThatThrownBy(() -> StartupReport.fromJson("{\"files\": 3}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("manifestDigest");
  }

  @Test
  void fromJson_ofAnOlderReportLackingFields_readsThemAsZero() throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(sample().toJson());
    json.remove("bytesPacked");
    json.remove("warnings");

    StartupReport back = StartupReport.fromJson(JSON.writeValueAsString(json));

    assertThat(back).isEqualTo(sample().toBuilder().bytesPacked(0).warnings(List.of()).build());
  }

  @Test
  void bytes_formatsWithBinaryUnits() {
    assertThat(StartupReport.bytes(0)).isEqualTo("0 B");
    assertThat(StartupReport.bytes(1023)).isEqualTo("1023 B");
    assertThat(StartupReport.bytes(1024)).isEqualTo("1.0 KiB");
    assertThat(StartupReport.bytes(218L << 20)).isEqualTo("218.0 MiB");
    assertThat(StartupReport.bytes(5L << 30)).isEqualTo("5.0 GiB");
  }
}
