package io.geneva.internal.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.EntryKind;
import io.geneva.FixtureFiles;
import io.geneva.IntegrityException;
import io.geneva.Manifest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The manifest's canonical JSON, and the digest check on reading it. */
class ManifestCodecTest {
  private static Manifest manifest(Map<String, String> environment, int formatVersion) {
    String d1 = FixtureFiles.sha256(new byte[] {1});
    String d2 = FixtureFiles.sha256(new byte[] {2});
    return new Manifest(
        formatVersion,
        List.of(
            new Manifest.Package("packages/sha256/" + d1.substring(0, 2) + "/" + d1 + ".jar", d1, 10, EntryKind.WORKSPACE),
            new Manifest.Package("packages/sha256/" + d2.substring(0, 2) + "/" + d2 + ".jar", d2, 20, EntryKind.DEPENDENCY)),
        new Manifest.Runtime(17, "linux", "amd64"),
        List.of("-Xmx2g", "-Dmode=test"),
        environment,
        false);
  }

  private static Manifest manifest() {
    return manifest(Map.of("B", "2", "A", "1"), Manifest.FORMAT_VERSION);
  }

  private static Manifest decode(byte[] bytes, String expected) throws IOException {
    return ManifestCodec.decode(new ByteArrayInputStream(bytes), "manifests/test.json", expected);
  }

  @Test
  void encodeThenDecode_givesAnEqualManifest() throws IOException {
    byte[] bytes = ManifestCodec.encode(manifest());

    assertThat(decode(bytes, FixtureFiles.sha256(bytes))).isEqualTo(manifest());
    assertThat(ManifestCodec.digest(manifest())).isEqualTo(FixtureFiles.sha256(bytes));
  }

  @Test
  void encoding_isCanonical_whateverTheMapOrder() {
    Map<String, String> forward = new LinkedHashMap<>();
    forward.put("A", "1");
    forward.put("B", "2");
    Map<String, String> backward = new LinkedHashMap<>();
    backward.put("B", "2");
    backward.put("A", "1");

    assertThat(ManifestCodec.encode(manifest(forward, 1))).isEqualTo(ManifestCodec.encode(manifest(backward, 1)));
    String json = new String(ManifestCodec.encode(manifest()), StandardCharsets.UTF_8);
    assertThat(json).doesNotContain("\n").doesNotContain(": ");
    assertThat(json.indexOf("\"A\"")).isLessThan(json.indexOf("\"B\""));
  }

  @Test
  void classpathOrder_isPartOfTheDigest() {
    Manifest m = manifest();
    Manifest reversed =
        new Manifest(m.formatVersion(), List.of(m.classpath().get(1), m.classpath().get(0)), m.runtime(), m.jvmOptions(), m.environment(), false);

    assertThat(ManifestCodec.digest(reversed)).isNotEqualTo(ManifestCodec.digest(m));
  }

  @Test
  void decode_rejectsAManifestWhoseDigestDoesNotMatchItsName() {
    byte[] bytes = ManifestCodec.encode(manifest());
    String otherName = FixtureFiles.sha256("another manifest".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> decode(bytes, otherName))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("manifests/test.json")
        .hasMessageContaining(otherName)
        .hasMessageContaining("corrupt");
  }

  @Test
  void decode_rejectsAManifestWithOneByteChanged() {
    byte[] bytes = ManifestCodec.encode(manifest());
    String name = FixtureFiles.sha256(bytes);
    bytes[bytes.length / 2] ^= 0x01;

    assertThatThrownBy(() -> decode(bytes, name)).isInstanceOf(IntegrityException.class);
  }

  @Test
  void decode_rejectsJsonThatIsNotAManifest() {
    byte[] bytes = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> decode(bytes, FixtureFiles.sha256(bytes)))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("not a Geneva manifest");
  }

  @Test
  void decode_rejectsANewerFormat_sayingToUpgrade() {
    byte[] bytes = ManifestCodec.encode(manifest(Map.of(), Manifest.FORMAT_VERSION + 1));

    assertThatThrownBy(() -> decode(bytes, FixtureFiles.sha256(bytes)))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("upgrade");
  }

  @Test
  void decode_withoutAnExpectedDigest_skipsTheCheck() throws IOException {
    assertThat(decode(ManifestCodec.encode(manifest()), null)).isEqualTo(manifest());
  }
}
