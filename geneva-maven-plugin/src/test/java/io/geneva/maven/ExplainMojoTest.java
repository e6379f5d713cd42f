package io.geneva.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code geneva:explain} over the reports that {@code geneva:package} keeps. */
class ExplainMojoTest {
  @TempDir Path dir;
  final RecordingLog log = new RecordingLog();

  @Test
  void afterOnePackage_saysThereIsNothingToCompareWith() throws Exception {
    SampleProject project = SampleProject.compiled(dir.resolve("project"));
    project.configure(new PackageMojo(), new RecordingLog()).execute();

    project.configure(new ExplainMojo(), log).execute();

    assertThat(log.text())
        .contains("latest package: manifest ")
        .contains("no earlier package of this project to compare with")
        .contains("sent ");
  }

  @Test
  void afterAnUnchangedPackage_saysSameManifestAndNothingSent() throws Exception {
    SampleProject project = SampleProject.compiled(dir.resolve("project"));
    project.configure(new PackageMojo(), new RecordingLog()).execute();
    project.configure(new PackageMojo(), new RecordingLog()).execute();

    project.configure(new ExplainMojo(), log).execute();

    assertThat(log.text())
        .contains("same manifest as the previous package")
        .contains("all 1 packages unchanged")
        .contains("uploaded 0 B in 0 packages; 1 already stored");
  }

  @Test
  void afterAChangedClass_namesWhatWasSent() throws Exception {
    SampleProject project = SampleProject.compiled(dir.resolve("project"));
    project.configure(new PackageMojo(), new RecordingLog()).execute();
    Path changed = project.classes.resolve("com/acme/NotATask.class");
    Files.write(changed, Files.readAllBytes(changed), java.nio.file.StandardOpenOption.APPEND);
    Files.setLastModifiedTime(changed, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
    project.configure(new PackageMojo(), new RecordingLog()).execute();

    project.configure(new ExplainMojo(), log).execute();

    assertThat(log.text())
        .contains("differs from the previous package (manifest ")
        .containsPattern("sent .*classes");
  }

  @Test
  void noReport_failsSayingToPackageFirst() {
    SampleProject project = SampleProject.uncompiled(dir.resolve("project"));

    assertThatThrownBy(project.configure(new ExplainMojo(), log)::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("no startup report of this project at " + project.target.resolve("geneva"))
        .hasMessageContaining("run 'mvn compile geneva:package'");
  }

  @Test
  void corruptReport_failsNamingTheFileAndTheFix() throws Exception {
    SampleProject project = SampleProject.uncompiled(dir.resolve("project"));
    Path report = project.target.resolve("geneva").resolve(StartupReports.LATEST);
    Files.createDirectories(report.getParent());
    Files.writeString(report, "{not json");

    assertThatThrownBy(project.configure(new ExplainMojo(), log)::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("cannot read the startup report " + report)
        .hasMessageContaining("delete it and run geneva:package again");
  }
}
