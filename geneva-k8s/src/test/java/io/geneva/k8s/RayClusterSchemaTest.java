package io.geneva.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every RayCluster Geneva renders validates against KubeRay's published CRD schema. */
class RayClusterSchemaTest {
  private static final URI MANIFEST = URI.create("s3://bucket/geneva/manifests/" + "ab".repeat(32) + ".json");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @TempDir Path tempDir;

  static Stream<Arguments> specs() {
    return Stream.of(
        Arguments.of("minimal", Specs.minimal()),
        Arguments.of("design example", Specs.design()),
        Arguments.of("full: GPUs, tolerations, Secret, host path", Specs.full()),
        Arguments.of("emptyDir cache", Specs.design().nodeCache(NodeCacheVolume.emptyDir())),
        Arguments.of("emptyDir cache with a limit", Specs.full().nodeCache(NodeCacheVolume.emptyDir("20Gi"))),
        Arguments.of("dependencies in image", Specs.full().dependenciesInImage(true)),
        Arguments.of("head only, no worker group", Specs.minimal().head(h -> h.gpus(1))),
        Arguments.of("override patch", Specs.full().override(Map.of(
            "metadata", Map.of("labels", Map.of("cost-center", "ml-42")),
            "spec", Map.of(
                "headGroupSpec", Map.of("serviceType", "NodePort"),
                "autoscalerOptions", Map.of("upscalingMode", "Conservative"))))),
        Arguments.of("override patch from YAML text", Specs.design().override(
            "spec:\n  autoscalerOptions:\n    resources:\n      limits: {cpu: 500m, memory: 512Mi}\n")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void renderedRayCluster_validatesAgainstTheCrd(String what, KubeRayCluster spec) throws Exception {
    for (ObjectNode rendered : new ObjectNode[] {
        RayClusterRenderer.render(spec), RayClusterRenderer.render(spec, MANIFEST)}) {
      assertThat(CrdSchema.errors(rendered)).as(what).isEmpty();
      assertThat(rendered.path("apiVersion").asText()).isEqualTo("ray.io/v1");
      assertThat(rendered.path("kind").asText()).isEqualTo("RayCluster");
    }

    // What users get from `geneva cluster render`, written to a file and read back.
    Path file = tempDir.resolve("raycluster.yaml");
    Files.writeString(file, RayClusterRenderer.renderYaml(spec, MANIFEST));
    JsonNode fromYaml = YAML.readTree(Files.readString(file));
    assertThat(fromYaml).isEqualTo(RayClusterRenderer.render(spec, MANIFEST));
    assertThat(CrdSchema.errors(fromYaml)).as(what).isEmpty();
  }

  @Test
  void schema_rejectsAStringWhereAnIntegerBelongs() {
    ObjectNode rendered = RayClusterRenderer.render(Specs.design());
    workerGroup(rendered).put("replicas", "two");

    assertThat(CrdSchema.errors(rendered)).anySatisfy(e -> assertThat(e).contains("replicas").contains("integer"));
  }

  @Test
  void schema_rejectsAMissingRequiredField() {
    ObjectNode rendered = RayClusterRenderer.render(Specs.design());
    workerGroup(rendered).remove("template");

    assertThat(CrdSchema.errors(rendered)).anySatisfy(e -> assertThat(e).contains("template"));
  }

  @Test
  void schema_rejectsAnUnknownField() {
    ObjectNode rendered = RayClusterRenderer.render(Specs.design());
    workerGroup(rendered).put("idleTimeoutSecond", 600);

    assertThat(CrdSchema.errors(rendered)).anySatisfy(e -> assertThat(e).contains("idleTimeoutSecond"));
  }

  @Test
  void schema_rejectsABadQuantityAndABadEnumValue() {
    ObjectNode rendered = RayClusterRenderer.render(Specs.design());
    ObjectNode limits = (ObjectNode) workerGroup(rendered)
        .path("template").path("spec").path("containers").path(0).path("resources").path("limits");
    limits.put("cpu", "four");
    ((ObjectNode) rendered.path("spec").path("autoscalerOptions")).put("upscalingMode", "Eager");

    assertThat(CrdSchema.errors(rendered))
        .anySatisfy(e -> assertThat(e).contains("cpu"))
        .anySatisfy(e -> assertThat(e).contains("upscalingMode"));
  }

  @Test
  void schema_rejectsAClusterNameKubeRayRefuses() {
    ObjectNode rendered = RayClusterRenderer.render(Specs.design());
    ((ObjectNode) rendered.path("metadata")).put("name", "1-starts-with-a-digit");

    assertThat(CrdSchema.errors(rendered)).anySatisfy(e -> assertThat(e).contains("name"));
  }

  @Test
  void schema_catchesAnOverrideThatBreaksTheResource() {
    // The renderer checks only what an override may not touch; the shape is the CRD's business.
    KubeRayCluster spec = Specs.design().override(Map.of("spec", Map.of("workerGroupSpecs", "none")));

    assertThat(CrdSchema.errors(RayClusterRenderer.render(spec)))
        .anySatisfy(e -> assertThat(e).contains("workerGroupSpecs"));
  }

  private static ObjectNode workerGroup(ObjectNode rendered) {
    return (ObjectNode) ((ArrayNode) rendered.path("spec").path("workerGroupSpecs")).get(0);
  }
}
