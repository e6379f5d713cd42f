package io.geneva;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session builder: options set once, checked arguments, and open() leaving the builder as it was. */
class SessionBuilderTest {
  @TempDir Path tempDir;

  @Test
  void optionSetTwice_throwsIllegalStateException_namingTheEarlierValue() {
    Path first = tempDir.resolve("home-one");
    GenevaSession.Builder builder = Geneva.connect(tempDir.resolve("store").toString()).home(first);

    assertThatThrownBy(() -> builder.home(tempDir.resolve("home-two")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("home")
        .hasMessageContaining(first.toString());
  }

  @Test
  void everyOption_isSetOnce() {
    GenevaSession.Builder builder =
        Geneva.connect()
            .classpath(List.of(tempDir))
            .excludes(List.of("*.log"))
            .defaultExcludes(false)
            .skipMissingEntries(true)
            .parallelism(2)
            .clock(Clock.systemUTC())
            .storageRecheckAfter(Duration.ofMinutes(5))
            .verifyStorage(true)
            .jvmOptions(List.of("-Xmx1g"))
            .progressListener(ProgressListener.NONE);

    assertThatThrownBy(() -> builder.classpath("a.jar")).isInstanceOf(IllegalStateException.class).hasMessageContaining("classpath");
    assertThatThrownBy(() -> builder.excludes(List.of())).isInstanceOf(IllegalStateException.class).hasMessageContaining("*.log");
    assertThatThrownBy(() -> builder.defaultExcludes(true)).isInstanceOf(IllegalStateException.class).hasMessageContaining("false");
    assertThatThrownBy(() -> builder.skipMissingEntries(false)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> builder.parallelism(3)).isInstanceOf(IllegalStateException.class).hasMessageContaining("2");
    assertThatThrownBy(() -> builder.clock(Clock.systemUTC())).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> builder.storageRecheckAfter(Duration.ZERO)).isInstanceOf(IllegalStateException.class).hasMessageContaining("PT5M");
    assertThatThrownBy(() -> builder.verifyStorage(false)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> builder.jvmOptions(List.of())).isInstanceOf(IllegalStateException.class).hasMessageContaining("-Xmx1g");
    assertThatThrownBy(() -> builder.progressListener(e -> {})).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void invalidArguments_areIllegalArgumentOrNullPointer() {
    GenevaSession.Builder builder = Geneva.connect();

    assertThatThrownBy(() -> builder.parallelism(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    assertThatThrownBy(() -> builder.storageRecheckAfter(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.home(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Geneva.connect((String) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Geneva.connect("   ")).isInstanceOf(ConfigurationException.class).hasMessageContaining("empty");
  }

  @Test
  void open_doesNotChangeTheBuilder_soItCanOpenAgain() {
    Sandbox sandbox = new Sandbox(tempDir);
    Path classes = sandbox.project.resolve("classes");
    FixtureFiles.classTree(classes, 10, 1);
    GenevaSession.Builder builder = sandbox.builder(classes);

    StartupReport first = Sandbox.run(builder);
    StartupReport second = Sandbox.run(builder);

    assertThat(second.manifestDigest()).isEqualTo(first.manifestDigest());
    assertThat(second.bytesHashed()).isZero();
  }

  @Test
  void session_exposesTheManifestItPublished() {
    Sandbox sandbox = new Sandbox(tempDir);
    Path classes = sandbox.project.resolve("classes");
    FixtureFiles.classTree(classes, 10, 1);

    try (GenevaSession session = sandbox.builder(classes).open()) {
      assertThat(session.manifestDigest()).isEqualTo(session.startupReport().manifestDigest()).hasSize(64);
      assertThat(session.manifestUri().toString()).isEqualTo(session.startupReport().manifestUri());
      assertThat(session.manifest().formatVersion()).isEqualTo(Manifest.FORMAT_VERSION);
      assertThat(session.manifest().classpath()).extracting(Manifest.Package::sha256)
          .containsExactlyElementsOf(session.startupReport().packages().stream().map(PackageReport::digest).toList());
      assertThat(session.manifest().runtime().javaFeatureVersion()).isEqualTo(Runtime.version().feature());
    }
  }

  @Test
  void localPathAndFileUri_nameTheSameStore() {
    Path store = tempDir.resolve("store");

    assertThat(Geneva.connect(store.toString()).toConfig().effectiveStorageRoot())
        .isEqualTo(Geneva.connect(store.toUri()).toConfig().effectiveStorageRoot());
  }
}
