package io.geneva.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerJdkTest {
  @TempDir Path dir;

  @Test
  void jdk_isReadFromTheReleaseFileBesideItsBinDirectory_throughSymbolicLinks() throws IOException {
    Path java = fakeJdk("jdk-25", "JAVA_VERSION=\"25.0.1\"\nJAVA_RUNTIME_VERSION=\"25.0.1+8-LTS\"\n"
        + "IMPLEMENTOR=\"Eclipse Adoptium\"\n");
    Path link = Files.createSymbolicLink(dir.resolve("java"), java);

    WorkerJdk jdk = WorkerJdk.of(link, "--worker-java");

    assertThat(jdk.java()).isEqualTo(link);
    assertThat(jdk.version()).isEqualTo("25.0.1+8-LTS");
    assertThat(jdk.vendor()).isEqualTo("Eclipse Adoptium");
    assertThat(jdk.feature()).isEqualTo(25);
    assertThat(jdk.describe()).isEqualTo("JDK 25.0.1+8-LTS (Eclipse Adoptium)");
  }

  @Test
  void jdksDiffer_byVersionOrVendor() throws IOException {
    WorkerJdk a = WorkerJdk.of(fakeJdk("a", "JAVA_VERSION=\"17.0.17\"\nIMPLEMENTOR=\"Debian\"\n"), "--worker-java");
    WorkerJdk b = WorkerJdk.of(fakeJdk("b", "JAVA_VERSION=\"17.0.17\"\nIMPLEMENTOR=\"Debian\"\n"), "--other-java");
    WorkerJdk c = WorkerJdk.of(fakeJdk("c", "JAVA_VERSION=\"17.0.17\"\nIMPLEMENTOR=\"Eclipse Adoptium\"\n"), "--x");

    assertThat(a.feature()).isEqualTo(17);
    assertThat(a.differsFrom(b)).isFalse();
    assertThat(a.differsFrom(c)).isTrue();
  }

  @Test
  void thisJvm_isAJdkWithAVersion() {
    assertThat(WorkerJdk.thisJvm().feature()).isEqualTo(Runtime.version().feature());
  }

  @Test
  void missingJava_isABenchErrorNamingTheOptionAndTheFix() {
    Path missing = dir.resolve("nothing/bin/java");

    assertThatThrownBy(() -> WorkerJdk.of(missing, "--other-java"))
        .isInstanceOf(BenchException.class)
        .hasMessage("--other-java " + missing + " does not exist; pass the java of a JDK, such as"
            + " /usr/lib/jvm/<jdk>/bin/java");
  }

  @Test
  void javaWithoutReleaseFile_isABenchError() throws IOException {
    Path java = fakeJdk("bare", null);

    assertThatThrownBy(() -> WorkerJdk.of(java, "--worker-java"))
        .isInstanceOf(BenchException.class)
        .hasMessageContaining("--worker-java " + java + " has no readable JDK release file at")
        .hasMessageContaining("pass <JDK home>/bin/java");
  }

  @Test
  void notExecutable_isABenchError() throws IOException {
    Path file = Files.writeString(dir.resolve("java"), "");

    assertThatThrownBy(() -> WorkerJdk.of(file, "--worker-java"))
        .isInstanceOf(BenchException.class)
        .hasMessageContaining("is not an executable file");
  }

  @Test
  void sparkParser_isFoundInACatalystJarOnly() throws IOException {
    Path catalyst = jar(dir.resolve("spark-catalyst_2.13-3.5.9.jar"), WorkerBench.SPARK_PARSER);
    Path other = jar(dir.resolve("spark-core_2.13-3.5.9.jar"), "org/apache/spark/SparkContext.class");
    Path emptyCatalyst = jar(dir.resolve("catalyst-shim.jar"), "x/Y.class");

    assertThat(WorkerBench.hasSparkParser(List.of(other, catalyst))).isTrue();
    assertThat(WorkerBench.hasSparkParser(List.of(other, emptyCatalyst))).isFalse();
  }

  @Test
  void classDataRecords_countsStoredRecordsOfEveryManifest() throws IOException {
    Path classdata = dir.resolve("store/classdata");
    assertThat(WorkerBench.classDataRecords(classdata)).isZero();
    Files.createDirectories(classdata.resolve("aaa"));
    Files.writeString(classdata.resolve("aaa/k1.properties"), "");
    Files.writeString(classdata.resolve("aaa/0123.aot"), "");
    Files.createDirectories(classdata.resolve("bbb"));
    Files.writeString(classdata.resolve("bbb/k2.properties"), "");

    assertThat(WorkerBench.classDataRecords(classdata)).isEqualTo(2);
  }

  private Path fakeJdk(String name, String release) throws IOException {
    Path home = Files.createDirectories(dir.resolve(name));
    Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    if (release != null) {
      Files.writeString(home.resolve("release"), release);
    }
    return java;
  }

  private static Path jar(Path file, String entry) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file))) {
      out.putNextEntry(new JarEntry(entry));
      out.write(new byte[] {1, 2, 3});
      out.closeEntry();
    }
    return file;
  }
}
