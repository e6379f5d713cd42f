package io.geneva.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geneva.StartupReport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code geneva:package} on a real compiled project, into file storage under a temporary directory. */
class PackageMojoTest {
  @TempDir Path dir;
  final RecordingLog log = new RecordingLog();

  @Test
  void package_shipsTheProjectClassesPrintsTheSummaryAndKeepsTheReport() throws Exception {
    SampleProject project = SampleProject.compiled(dir.resolve("project"));
    PackageMojo mojo = project.configure(new PackageMojo(), log);

    mojo.execute();

    assertThat(log.text()).contains("[INFO] Geneva packaged 3 files").contains("manifest file:");
    Path report = project.target.resolve("geneva").resolve(StartupReports.LATEST);
    StartupReport kept = StartupReport.fromJson(Files.readString(report));
    assertThat(kept.files()).isEqualTo(3);
    assertThat(kept.manifestUri()).startsWith(project.dir.resolve("geneva-storage").toUri().toString());
    assertThat(project.dir.resolve("geneva-home")).isDirectory();
  }

  @Test
  void relativeStorageRoot_isUnderTheProjectNotTheWorkingDirectory() throws Exception {
    SampleProject project = SampleProject.compiled(dir.resolve("project"));
    PackageMojo mojo = project.configure(new PackageMojo(), log);
    mojo.storageRoot = "target/store";

    mojo.execute();

    assertThat(project.target.resolve("store").resolve("manifests")).isDirectory();
  }

  @Test
  void skip_doesNothing() throws Exception {
    SampleProject project = SampleProject.uncompiled(dir.resolve("project"));
    PackageMojo mojo = project.configure(new PackageMojo(), log);
    mojo.skip = true;

    mojo.execute();

    assertThat(log.text()).contains("skipped (geneva.skip)");
    assertThat(project.target).doesNotExist();
  }

  @Test
  void notCompiled_failsNamingTheClassesDirectoryAndCompile() {
    SampleProject project = SampleProject.uncompiled(dir.resolve("project"));
    PackageMojo mojo = project.configure(new PackageMojo(), log);

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining(project.classes.toString())
        .hasMessageContaining("not compiled")
        .hasMessageContaining("mvn compile geneva:package");
  }

  @Test
  void storageRootWithCredentials_failsWithoutPrintingThem() throws Exception {
    SampleProject project = SampleProject.compiled(dir.resolve("project"));
    PackageMojo mojo = project.configure(new PackageMojo(), log);
    mojo.storageRoot = "s3://AKIDEXAMPLE:s3cr3tKey@bucket/prefix";

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("storageRoot (geneva.storageRoot)")
        .hasMessageContaining("credentials")
        .hasMessageContaining("never the POM")
        .hasMessageNotContaining("s3cr3tKey")
        .hasMessageNotContaining("AKIDEXAMPLE");
  }

  @Test
  void storageRootOfUnknownScheme_failsNamingTheRootAndTheKnownSchemes() throws Exception {
    SampleProject project = SampleProject.compiled(dir.resolve("project"));
    PackageMojo mojo = project.configure(new PackageMojo(), log);
    mojo.storageRoot = "dir2:///srv/geneva";

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("storageRoot (geneva.storageRoot) is not usable")
        .hasMessageContaining("\"dir2\"")
        .hasMessageContaining("s3://bucket/prefix");
  }

  @Test
  void storageRootThatIsAFile_failsNamingIt() throws Exception {
    SampleProject project = SampleProject.compiled(dir.resolve("project"));
    Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
    PackageMojo mojo = project.configure(new PackageMojo(), log);
    mojo.storageRoot = file.toString();

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("storageRoot (geneva.storageRoot) is not usable")
        .hasMessageContaining("not-a-directory")
        .hasMessageContaining("is a file, not a directory");
  }

  @Test
  void badStorageRecheckAfter_failsNamingTheOptionAndTheForms() throws Exception {
    SampleProject project = SampleProject.compiled(dir.resolve("project"));
    PackageMojo mojo = project.configure(new PackageMojo(), log);
    mojo.storageRecheckAfter = "soon";

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("storageRecheckAfter (geneva.storageRecheckAfter) \"soon\"")
        .hasMessageContaining("like 10m");
  }

  @Test
  void zeroParallelism_failsNamingTheOption() throws Exception {
    SampleProject project = SampleProject.compiled(dir.resolve("project"));
    PackageMojo mojo = project.configure(new PackageMojo(), log);
    mojo.parallelism = 0;

    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("parallelism (geneva.parallelism) must be at least 1, not 0");
  }

  @Test
  void missingDependencyJar_failsNamingIt_unlessSkipMissingEntries() throws Exception {
    SampleProject project = SampleProject.compiled(dir.resolve("project"));
    Path gone = dir.resolve("repo/gone-1.0.jar");
    PackageMojo failing = project.configure(new PackageMojo(), log);
    failing.classpathElements = java.util.List.of(project.classes.toString(), gone.toString());

    assertThatThrownBy(failing::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("gone-1.0.jar");

    PackageMojo skipping = project.configure(new PackageMojo(), log);
    skipping.classpathElements = java.util.List.of(project.classes.toString(), gone.toString());
    skipping.skipMissingEntries = true;
    skipping.execute();
    assertThat(log.text()).contains("warning:").contains("gone-1.0.jar");
  }
}
