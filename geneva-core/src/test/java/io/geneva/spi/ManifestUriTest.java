package io.geneva.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.internal.storage.FileStorage;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A manifest URI splits into its storage root and digest, and nothing else parses as one. */
class ManifestUriTest {
  private static final String DIGEST = "0123456789abcdef".repeat(4);

  @Test
  void parse_splitsRootAndDigest() {
    ManifestUri m = ManifestUri.parse("s3://bucket/geneva/manifests/" + DIGEST + ".json");

    assertThat(m.storageRoot()).isEqualTo(URI.create("s3://bucket/geneva/"));
    assertThat(m.digest()).isEqualTo(DIGEST);
    assertThat(m.key()).isEqualTo(ObjectKey.forManifest(DIGEST));
    assertThat(m.uri()).isEqualTo(URI.create("s3://bucket/geneva/manifests/" + DIGEST + ".json"));
    assertThat(m).hasToString("s3://bucket/geneva/manifests/" + DIGEST + ".json");
  }

  @Test
  void of_aManifestAtTheTopOfABucket_hasTheBucketAsRoot() {
    assertThat(ManifestUri.of(URI.create("s3://bucket/manifests/" + DIGEST + ".json")).storageRoot())
        .isEqualTo(URI.create("s3://bucket/"));
  }

  @Test
  void of_theUriAStoragePublishes_roundTripsThroughTheStorage(@TempDir Path dir) {
    try (Storage storage = FileStorage.open(dir)) {
      ManifestUri m = ManifestUri.of(storage.uri(ObjectKey.forManifest(DIGEST)));

      assertThat(m.storageRoot()).isEqualTo(storage.root());
      assertThat(storage.uri(m.key())).isEqualTo(m.uri());
    }
  }

  @Test
  void equalUris_makeEqualManifestUris() {
    String text = "file:///srv/geneva/manifests/" + DIGEST + ".json";
    ManifestUri a = ManifestUri.parse(text);
    ManifestUri b = ManifestUri.of(URI.create(text));
    ManifestUri other = ManifestUri.parse("file:///srv/other/manifests/" + DIGEST + ".json");

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(other).isNotEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "manifests/DIGEST.json",                    // no scheme
        "/srv/geneva/manifests/DIGEST.json",        // a path, not a URI
        "s3://bucket/geneva/DIGEST.json",           // not under manifests/
        "s3://bucket/geneva/packages/DIGEST.json",  // under another directory
        "s3://bucket/xmanifests/DIGEST.json",       // a directory that only ends in "manifests"
        "s3:manifests/DIGEST.json",                 // opaque: no root before manifests/
        "s3://manifests/DIGEST.json",               // the bucket is called manifests; no root
        "s3://bucket/manifests/DIGEST.jar",         // not .json
        "s3://bucket/manifests/DIGEST",             // no extension
        "s3://bucket/manifests/0123.json",          // too short a digest
        "s3://bucket/manifests/UPPER.json",         // upper-case hex
        "s3://bucket/manifests/DIGEST.json?versionId=3",
        "s3://bucket/manifests/DIGEST.json#x",
        "s3://bucket/manifests/",
      })
  void parse_rejectsWhatIsNotAManifestUri_namingIt(String template) {
    String text = template.replace("DIGEST", DIGEST).replace("UPPER", DIGEST.toUpperCase(java.util.Locale.ROOT));

    assertThatThrownBy(() -> ManifestUri.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(text)
        .hasMessageContaining("<storage root>/manifests/<sha256>.json")
        .hasMessageContaining("pass the URI a session published");
  }

  @Test
  void parse_saysWhyAUriIsRejected() {
    assertThatThrownBy(() -> ManifestUri.parse("s3://bucket/manifests/abc.json"))
        .hasMessageContaining("file name \"abc.json\" is not the 64 lower-case hex digits of a SHA-256 and .json");
    assertThatThrownBy(() -> ManifestUri.parse("manifests/" + DIGEST + ".json"))
        .hasMessageContaining("it has no scheme");
    assertThatThrownBy(() -> ManifestUri.parse("s3://bucket/" + DIGEST + ".json"))
        .hasMessageContaining("not in a manifests/ directory");
  }

  @Test
  void parse_rejectsTextThatIsNoUri() {
    assertThatThrownBy(() -> ManifestUri.parse("s3://bucket/my dir/manifests/" + DIGEST + ".json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("manifest URI \"s3://bucket/my dir/manifests/")
        .hasMessageContaining("is not a valid URI");
  }

  @Test
  void of_refusesCredentials_withoutRepeatingThem() {
    assertThatThrownBy(() -> ManifestUri.parse("s3://AKIAKEY:s3cr3t@bucket/manifests/" + DIGEST + ".json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has credentials in it")
        .hasMessageNotContaining("s3cr3t")
        .hasMessageNotContaining("AKIAKEY");
  }

  @Test
  void nulls_areRefused() {
    assertThatThrownBy(() -> ManifestUri.parse(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ManifestUri.of(null)).isInstanceOf(NullPointerException.class);
  }
}
