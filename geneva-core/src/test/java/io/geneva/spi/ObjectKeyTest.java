package io.geneva.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Object keys can never leave the storage root. */
class ObjectKeyTest {
  private static final String DIGEST = "0123456789abcdef".repeat(4);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "..", "../x", "a/../b", "a/..", "/etc/passwd", "/", ".", "./a", "a/./b", "a//b", "a/", "a\\b",
        "..\\windows", "C:/x", "a b", "packages/é.jar", "a/b?c", "%2e%2e/x"
      })
  void of_rejectsKeysThatCouldEscapeTheRootOrNeedEscaping(String path) {
    assertThatThrownBy(() -> ObjectKey.of(path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(path);
  }

  @Test
  void of_rejectsAnEmptyKey() {
    assertThatThrownBy(() -> ObjectKey.of("")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
  }

  @Test
  void of_rejectsNull() {
    assertThatThrownBy(() -> ObjectKey.of(null)).isInstanceOf(NullPointerException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "manifests/x.json", "packages/sha256/ab/ab.jar", "a..b/c", "...x", "_-.x/Y_Z"})
  void of_acceptsRelativePathsOfSafeSegments(String path) {
    assertThat(ObjectKey.of(path).path()).isEqualTo(path);
  }

  @Test
  void forPackage_usesTheContentAddressedLayout() {
    ObjectKey key = ObjectKey.forPackage(DIGEST, "jar");

    assertThat(key.path()).isEqualTo("packages/sha256/01/" + DIGEST + ".jar");
    assertThat(key.fileName()).isEqualTo(DIGEST + ".jar");
    assertThat(key.digest()).contains(DIGEST);
  }

  @Test
  void forManifest_usesTheManifestsPrefix() {
    ObjectKey key = ObjectKey.forManifest(DIGEST);

    assertThat(key.path()).isEqualTo("manifests/" + DIGEST + ".json");
    assertThat(key.digest()).contains(DIGEST);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF", "../../etc/passwd"})
  void forPackageAndForManifest_rejectWhatIsNotALowerCaseHexDigest(String notADigest) {
    assertThatThrownBy(() -> ObjectKey.forPackage(notADigest, "jar")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ObjectKey.forManifest(notADigest)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void forPackage_rejectsAnExtensionThatLeavesTheDirectory() {
    assertThatThrownBy(() -> ObjectKey.forPackage(DIGEST, "jar/../../x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void digest_isEmptyForKeysNotNamedAfterADigest() {
    assertThat(ObjectKey.of("manifests/notes.json").digest()).isEmpty();
  }

  @Test
  void keys_areValues() {
    assertThat(ObjectKey.of("a/b")).isEqualTo(ObjectKey.of("a/b")).hasSameHashCodeAs(ObjectKey.of("a/b"));
    assertThat(ObjectKey.of("a/b")).isLessThan(ObjectKey.of("a/c"));
    assertThat(ObjectKey.of("a/b")).hasToString("a/b");
  }
}
