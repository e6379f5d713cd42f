package io.geneva.internal.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.ConfigurationException;
import io.geneva.spi.Storage;
import io.geneva.spi.StorageProvider;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Choosing a storage provider by scheme refuses to guess, and says how to choose. */
class StorageSelectorTest {

  /** A hand-written provider fake: schemes and priority, no storage behind it. */
  private abstract static class FakeProvider implements StorageProvider {
    private final Set<String> schemes;
    private final int priority;

    FakeProvider(int priority, String... schemes) {
      this.schemes = Set.of(schemes);
      this.priority = priority;
    }

    @Override
    public Set<String> schemes() {
      return schemes;
    }

    @Override
    public int priority() {
      return priority;
    }

    @Override
    public Storage create(URI root) {
      throw new UnsupportedOperationException("a fake: " + getClass().getSimpleName() + " creates nothing");
    }
  }

  private static final class AcmeBlobProvider extends FakeProvider {
    AcmeBlobProvider(int priority) {
      super(priority, "blob");
    }
  }

  private static final class OtherBlobProvider extends FakeProvider {
    OtherBlobProvider(int priority) {
      super(priority, "blob", "blobs");
    }
  }

  private static final class FakeFileProvider extends FakeProvider {
    FakeFileProvider() {
      super(0, "file");
    }
  }

  private static final URI BLOB = URI.create("blob://bucket/prefix");

  @Test
  void providerServingTheScheme_isSelected() {
    AcmeBlobProvider acme = new AcmeBlobProvider(0);

    assertThat(StorageSelector.select(BLOB, List.of(new FakeFileProvider(), acme))).isSameAs(acme);
  }

  @Test
  void twoProvidersAtEqualPriority_isAnError_namingBothAndHowToChoose() {
    assertThatThrownBy(
            () -> StorageSelector.select(BLOB, List.of(new AcmeBlobProvider(0), new OtherBlobProvider(0))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("\"blob\"")
        .hasMessageContaining(AcmeBlobProvider.class.getName())
        .hasMessageContaining(OtherBlobProvider.class.getName())
        .hasMessageContaining("priority");
  }

  @Test
  void higherPriority_wins_inEitherOrder() {
    AcmeBlobProvider low = new AcmeBlobProvider(0);
    OtherBlobProvider high = new OtherBlobProvider(10);

    assertThat(StorageSelector.select(BLOB, List.of(low, high))).isSameAs(high);
    assertThat(StorageSelector.select(BLOB, List.of(high, low))).isSameAs(high);
  }

  @Test
  void tieBelowTheWinner_isNotAnError() {
    OtherBlobProvider winner = new OtherBlobProvider(5);

    assertThat(StorageSelector.select(BLOB, List.of(new AcmeBlobProvider(1), new AcmeBlobProvider(1), winner)))
        .isSameAs(winner);
  }

  @Test
  void tieAtTheTop_afterALowerProvider_isStillAnError() {
    assertThatThrownBy(
            () -> StorageSelector.select(BLOB, List.of(new AcmeBlobProvider(-1), new AcmeBlobProvider(3), new OtherBlobProvider(3))))
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void schemeIsMatchedIgnoringCase() {
    AcmeBlobProvider acme = new AcmeBlobProvider(0);

    assertThat(StorageSelector.select(URI.create("BLOB://bucket/x"), List.of(acme))).isSameAs(acme);
  }

  @Test
  void noProviderForTheScheme_isAnError_namingItAndListingTheKnownSchemes() {
    assertThatThrownBy(
            () -> StorageSelector.select(URI.create("gs://bucket/x"), List.of(new FakeFileProvider(), new OtherBlobProvider(0))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("\"gs\"")
        .hasMessageContaining("blob, blobs, file");
  }

  @Test
  void noProviderForTheScheme_neverPrintsAUserPartOfTheRoot() {
    assertThatThrownBy(() -> StorageSelector.select(URI.create("gs://key:s3cr3t@bucket/prefix"), List.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("(storage root gs://bucket/prefix)")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t"));
  }

  @Test
  void serviceLoader_findsTheFileProvider() {
    assertThat(StorageSelector.load(StorageSelector.class.getClassLoader()))
        .anySatisfy(p -> assertThat(p).isInstanceOf(FileStorageProvider.class));
  }
}
