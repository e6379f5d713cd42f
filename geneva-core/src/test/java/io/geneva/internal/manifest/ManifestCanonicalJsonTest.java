package io.geneva.internal.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.EntryKind;
import io.geneva.Manifest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestCanonicalJsonTest {
  private static Manifest manifest(Map<String, String> env, List<String> options) {
    return new Manifest(
        Manifest.FORMAT_VERSION,
        List.of(
            new Manifest.Package("packages/sha256/ab/" + "ab".repeat(32) + ".jar", "ab".repeat(32), 12, EntryKind.DEPENDENCY),
            new Manifest.Package("packages/sha256/cd/" + "cd".repeat(32) + ".jar", "cd".repeat(32), 0, EntryKind.WORKSPACE)),
        new Manifest.Runtime(17, "linux", "amd64"),
        options,
        env,
        false);
  }

  @Test
  void handWrittenEncoding_isByteForByteWhatJacksonWrites() {
    Manifest m =
        manifest(
            Map.of("Z", "last", "A", "quote\" backslash\\ newline\n tab\t ctrl\u0001 é ☃"),
            List.of("-Xmx1g", "-Dx=\"y\""));
    assertThat(new String(ManifestCodec.encode(m), StandardCharsets.UTF_8))
        .isEqualTo(new String(ManifestCodec.encodeWithJackson(m), StandardCharsets.UTF_8));
  }

  @Test
  void emptyOptionsAndEnvironment_encodeLikeJackson() {
    Manifest m = manifest(Map.of(), List.of());
    assertThat(ManifestCodec.encode(m)).isEqualTo(ManifestCodec.encodeWithJackson(m));
  }

  @Test
  void providedJars_areRecordedByFileName_encodeLikeJackson_andDecodeEqual() throws Exception {
    Manifest m = new Manifest(Manifest.FORMAT_VERSION,
        List.of(new Manifest.Package("packages/sha256/ab/" + "ab".repeat(32) + ".jar", "ab".repeat(32), 12,
                EntryKind.DEPENDENCY, "guava-33.8.0-jre.jar"),
            new Manifest.Package("packages/sha256/cd/" + "cd".repeat(32) + ".jar", "cd".repeat(32), 3,
                EntryKind.WORKSPACE)),
        new Manifest.Runtime(17, "linux", "amd64"), List.of(), Map.of(), true);

    byte[] bytes = ManifestCodec.encode(m);

    assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(
        new String(ManifestCodec.encodeWithJackson(m), StandardCharsets.UTF_8))
        .contains("\"kind\":\"DEPENDENCY\",\"provided\":\"guava-33.8.0-jre.jar\",\"sha256\"")
        .containsOnlyOnce("provided");
    assertThat(ManifestCodec.decode(new ByteArrayInputStream(bytes), "test", ManifestCodec.digest(m))).isEqualTo(m);
  }

  @Test
  void aPackageInStorage_isEncodedAsBefore_soExistingManifestDigestsStay() {
    assertThat(new String(ManifestCodec.encode(manifest(Map.of(), List.of())), StandardCharsets.UTF_8))
        .doesNotContain("provided");
  }

  @Test
  void encodedManifest_decodesToAnEqualManifest() throws Exception {
    Manifest m = manifest(Map.of("K", "v"), List.of("-ea"));
    byte[] bytes = ManifestCodec.encode(m);
    assertThat(ManifestCodec.decode(new ByteArrayInputStream(bytes), "test", ManifestCodec.digest(m)))
        .isEqualTo(m);
  }
}
