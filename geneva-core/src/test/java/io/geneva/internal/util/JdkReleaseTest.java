package io.geneva.internal.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdkReleaseTest {
  @TempDir Path dir;

  @Test
  void releaseText_givesUnquotedVersionVendorOsAndArch() {
    JdkRelease r = JdkRelease.parse("""
        IMPLEMENTOR="Eclipse Adoptium"
        JAVA_RUNTIME_VERSION="25.0.3+9-LTS"
        JAVA_VERSION="25.0.3"
        OS_NAME="Linux"
        OS_ARCH="x86_64"
        """);

    assertThat(r).isEqualTo(new JdkRelease("25.0.3+9-LTS", "Eclipse Adoptium", "Linux", "x86_64"));
    assertThat(r.feature()).isEqualTo(25);
  }

  @Test
  void withoutRuntimeVersion_theJavaVersionIsUsed_andMissingFieldsAreUnknown() {
    JdkRelease r = JdkRelease.parse("JAVA_VERSION=\"17.0.15\"\n");

    assertThat(r).isEqualTo(new JdkRelease("17.0.15", "unknown", "unknown", "unknown"));
    assertThat(r.feature()).isEqualTo(17);
  }

  @Test
  void withoutAnyVersion_theVersionIsEmpty_andItsFeatureZero() {
    JdkRelease r = JdkRelease.parse("IMPLEMENTOR=\"x\"\n");

    assertThat(r.version()).isEmpty();
    assertThat(r.feature()).isZero();
  }

  @Test
  void featureOfVersions() {
    assertThat(JdkRelease.feature("17.0.17+10-Debian-1")).isEqualTo(17);
    assertThat(JdkRelease.feature("25")).isEqualTo(25);
    assertThat(JdkRelease.feature("1.8.0_412")).isEqualTo(1);
    assertThat(JdkRelease.feature("unknown")).isZero();
  }

  @Test
  void unquote_removesOnlyAnEnclosingPair() {
    assertThat(JdkRelease.unquote(" \"a b\" ")).isEqualTo("a b");
    assertThat(JdkRelease.unquote("\"")).isEqualTo("\"");
    assertThat(JdkRelease.unquote("plain")).isEqualTo("plain");
  }

  @Test
  void releaseFileOfJavaThroughASymbolicLink_isBesideTheLinkTarget() throws IOException {
    Path home = Files.createDirectories(dir.resolve("jdk/bin")).getParent();
    Path java = Files.writeString(home.resolve("bin/java"), "");
    Files.writeString(home.resolve("release"), "JAVA_RUNTIME_VERSION=\"21.0.1+12\"\n");
    Path link = Files.createSymbolicLink(Files.createDirectories(dir.resolve("usr/bin")).resolve("java"), java);

    Path release = JdkRelease.releaseFileOf(link);

    assertThat(release).isEqualTo(home.toRealPath().resolve("release"));
    assertThat(JdkRelease.read(release).version()).isEqualTo("21.0.1+12");
  }

  @Test
  void thisJvmsJava_hasTheRunningFeatureRelease() throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");

    assertThat(JdkRelease.read(JdkRelease.releaseFileOf(java)).feature()).isEqualTo(Runtime.version().feature());
  }

  @Test
  void missingOrMalformedFiles_areIoErrorsNamingThem() throws IOException {
    assertThatThrownBy(() -> JdkRelease.releaseFileOf(dir.resolve("nowhere/bin/java"))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> JdkRelease.read(dir.resolve("release"))).isInstanceOf(IOException.class);
    Path bad = Files.writeString(dir.resolve("bad-release"), "JAVA_VERSION=\\u12\n");
    assertThatThrownBy(() -> JdkRelease.read(bad)).isInstanceOf(IOException.class).hasMessageContaining("bad-release");
  }
}
