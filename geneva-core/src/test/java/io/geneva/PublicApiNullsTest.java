package io.geneva;

import com.google.common.testing.EqualsTester;
import com.google.common.testing.NullPointerTester;
import io.geneva.spi.Content;
import io.geneva.spi.ManifestUri;
import io.geneva.spi.ObjectKey;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Guava's testers over the public API ({@code io.geneva}, {@code io.geneva.spi}): every public
 * constructor and method rejects a null it does not document as allowed ({@code @Nullable}) with a
 * {@link NullPointerException}, and the value types' {@code equals} and {@code hashCode} agree.
 *
 * <p>{@code StartupReport}, {@code WorkerReport}, {@code JobRequest} and {@code ProvisionContext} are
 * built by builders; their own tests run the testers over them and their builders.
 */
class PublicApiNullsTest {
  private static final String SHA = "a".repeat(64);
  private static final String OTHER_SHA = "b".repeat(64);

  private final NullPointerTester tester =
      new NullPointerTester()
          .setDefault(Path.class, Path.of("x"))
          .setDefault(URI.class, URI.create("file:///tmp/geneva"))
          .setDefault(Duration.class, Duration.ofSeconds(1))
          .setDefault(ObjectKey.class, ObjectKey.of("objects/x"))
          .setDefault(EntryKind.class, EntryKind.values()[0])
          .setDefault(ExitPolicy.class, ExitPolicy.values()[0])
          .setDefault(TaskResources.class, TaskResources.DEFAULT)
          // A digest is also a valid name, path and key, so String parameters pass their checks.
          .setDefault(String.class, SHA);

  /** A task for {@link Job#of(Class)}. */
  public static final class NoopTask implements Task<String> {
    @Override
    public String run(TaskContext context) {
      return "";
    }
  }

  @Test
  void staticFactories_rejectNull() {
    tester.testAllPublicStaticMethods(ObjectKey.class);
    tester.testAllPublicStaticMethods(Content.class);
    tester.testAllPublicStaticMethods(Job.class);
    tester.testAllPublicStaticMethods(TaskResources.class);
    tester.testAllPublicStaticMethods(ClasspathProfile.class);
    tester.testAllPublicStaticMethods(LocalCluster.class);
    tester.testAllPublicStaticMethods(Geneva.class);
    tester.testAllPublicStaticMethods(ManifestUri.class);
    tester.testAllPublicStaticMethods(ImageLibrary.class);
  }

  @Test
  void valueTypeConstructors_rejectNull() {
    tester.testAllPublicConstructors(PackageReport.class);
    tester.testAllPublicConstructors(PartitionReport.class);
    tester.testAllPublicConstructors(Manifest.Package.class);
    tester.testAllPublicConstructors(Manifest.Runtime.class);
    tester.testAllPublicConstructors(TaskResources.class);
  }

  @Test
  void instanceMethods_rejectNull() {
    tester.testAllPublicInstanceMethods(ObjectKey.of("objects/x"));
    tester.testAllPublicInstanceMethods(Job.of(NoopTask.class));
    tester.testAllPublicInstanceMethods(LocalCluster.defaults());
    tester.testAllPublicInstanceMethods(ClasspathProfile.SPARK);
    tester.testAllPublicInstanceMethods(TaskResources.DEFAULT);
    tester.testAllPublicInstanceMethods(Content.ofBytes(new byte[] {1}));
    tester.testAllPublicInstanceMethods(Geneva.connect("file:///tmp/geneva"));
  }

  @Test
  void valueTypes_equalWhenTheirComponentsAre() {
    new EqualsTester()
        .addEqualityGroup(ObjectKey.of("objects/a"), ObjectKey.of("objects/a"))
        .addEqualityGroup(ObjectKey.of("objects/b"))
        .testEquals();
    new EqualsTester()
        .addEqualityGroup(ManifestUri.parse("s3://b/g/manifests/" + SHA + ".json"),
            ManifestUri.of(URI.create("s3://b/g/manifests/" + SHA + ".json")))
        .addEqualityGroup(ManifestUri.parse("s3://b/g/manifests/" + OTHER_SHA + ".json"))
        .addEqualityGroup(ManifestUri.parse("s3://b/other/manifests/" + SHA + ".json"))
        .testEquals();
    new EqualsTester()
        .addEqualityGroup(new TaskResources(1, 0, 0), TaskResources.DEFAULT)
        .addEqualityGroup(new TaskResources(2, 0, 0))
        .addEqualityGroup(new TaskResources(1, 1, 0))
        .addEqualityGroup(new TaskResources(1, 0, 1 << 20))
        .testEquals();
    EntryKind kind = EntryKind.values()[0];
    new EqualsTester()
        .addEqualityGroup(
            new PackageReport("a.jar", kind, SHA, 1, true, "new"), new PackageReport("a.jar", kind, SHA, 1, true, "new"))
        .addEqualityGroup(new PackageReport("b.jar", kind, SHA, 1, true, "new"))
        .addEqualityGroup(new PackageReport("a.jar", kind, OTHER_SHA, 1, true, "new"))
        .addEqualityGroup(new PackageReport("a.jar", kind, SHA, 2, true, "new"))
        .addEqualityGroup(new PackageReport("a.jar", kind, SHA, 1, false, "new"))
        .addEqualityGroup(new PackageReport("a.jar", kind, SHA, 1, true, "unchanged"))
        .testEquals();
    new EqualsTester()
        .addEqualityGroup(new PartitionReport(0, 1, "w1"), new PartitionReport(0, 1, "w1"))
        .addEqualityGroup(new PartitionReport(1, 1, "w1"))
        .addEqualityGroup(new PartitionReport(0, 2, "w1"))
        .addEqualityGroup(new PartitionReport(0, 1, "w2"))
        .testEquals();
    new EqualsTester()
        .addEqualityGroup(
            new Manifest.Package("objects/a", SHA, 1, kind, null), new Manifest.Package("objects/a", SHA, 1, kind, null))
        .addEqualityGroup(new Manifest.Package("objects/b", SHA, 1, kind, null))
        .addEqualityGroup(new Manifest.Package("objects/a", OTHER_SHA, 1, kind, null))
        .addEqualityGroup(new Manifest.Package("objects/a", SHA, 2, kind, null))
        .addEqualityGroup(new Manifest.Package("objects/a", SHA, 1, kind, "a.jar"))
        .testEquals();
    new EqualsTester()
        .addEqualityGroup(LocalCluster.workers(2), LocalCluster.workers(2))
        .addEqualityGroup(LocalCluster.workers(3))
        .addEqualityGroup(LocalCluster.workers(2).idleTimeout(Duration.ofMinutes(7)))
        .testEquals();
  }
}
