package io.geneva.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A job request carries a manifest URI every cluster can parse, or is not made at all. */
class JobRequestTest {
  private static final String DIGEST = "ab".repeat(32);

  @Test
  void manifest_splitsTheUriIntoStorageRootAndDigest() {
    JobRequest r = new JobRequest("j", "x.Task", 2, 1, Map.of(),
        URI.create("s3://bucket/geneva/manifests/" + DIGEST + ".json"));

    assertThat(r.manifest().storageRoot()).isEqualTo(URI.create("s3://bucket/geneva/"));
    assertThat(r.manifest().digest()).isEqualTo(DIGEST);
    assertThat(r.manifest().uri()).isEqualTo(r.manifestUri());
  }

  @Test
  void aUriThatIsNotAManifest_isRefusedWhenTheRequestIsMade() {
    assertThatThrownBy(() -> new JobRequest("j", "x.Task", 2, 1, Map.of(), URI.create("s3://bucket/geneva/x.json")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("s3://bucket/geneva/x.json")
        .hasMessageContaining("not in a manifests/ directory");
  }

  @Test
  void aManifestUriWithCredentials_isRefusedWithoutRepeatingThem() {
    assertThatThrownBy(() -> new JobRequest("j", "x.Task", 2, 1, Map.of(),
        URI.create("s3://key:secret@bucket/geneva/manifests/" + DIGEST + ".json")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("credentials")
        .hasMessageNotContaining("secret");
  }
}
