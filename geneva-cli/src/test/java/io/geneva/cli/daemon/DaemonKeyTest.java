package io.geneva.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonKeyTest {
  @TempDir Path dir;
  private Path jar;
  private final Map<String, String> env = new HashMap<>(Map.of("PATH", "/usr/bin", "AWS_PROFILE", "dev"));

  @BeforeEach
  void jar() throws IOException {
    jar = Files.writeString(dir.resolve("geneva.jar"), "jar bytes");
  }

  private DaemonKey key() throws IOException {
    return DaemonKey.compute(jar, "/jdk", "17.0.15", new String[] {"-Xmx1g"}, "/work", env);
  }

  @Test
  void sameInputs_sameKey_andItsNameIsShortAndHex() throws IOException {
    assertThat(key().hex()).isEqualTo(key().hex()).hasSize(64);
    assertThat(key().name()).hasSize(DaemonKey.NAME_LENGTH).matches("[0-9a-f]+");
  }

  @Test
  void anEnvironmentValueChange_givesAnotherKey_andNoValueAppearsInIt() throws IOException {
    DaemonKey before = key();
    env.put("AWS_PROFILE", "prod");
    assertThat(key().hex()).isNotEqualTo(before.hex());
    assertThat(key().environmentHex()).isNotEqualTo(before.environmentHex());
    env.remove("AWS_PROFILE");
    assertThat(key().hex()).isNotEqualTo(before.hex());
    assertThat(key().hex() + key().environmentHex()).doesNotContain("prod").doesNotContain("dev");
  }

  @Test
  void shellVolatileVariables_areIgnored() throws IOException {
    DaemonKey before = key();
    env.put("_", "/usr/bin/geneva");
    env.put("SHLVL", "3");
    env.put("OLDPWD", "/elsewhere");
    env.put("GENEVA_DAEMON", "on");
    assertThat(key().hex()).isEqualTo(before.hex());
  }

  @Test
  void jarJavaOptionsAndDirectory_eachChangeTheKey() throws IOException {
    String before = key().hex();
    assertThat(DaemonKey.compute(jar, "/jdk25", "17.0.15", new String[] {"-Xmx1g"}, "/work", env).hex())
        .isNotEqualTo(before);
    assertThat(DaemonKey.compute(jar, "/jdk", "17.0.16", new String[] {"-Xmx1g"}, "/work", env).hex())
        .isNotEqualTo(before);
    assertThat(DaemonKey.compute(jar, "/jdk", "17.0.15", new String[] {"-Xmx2g"}, "/work", env).hex())
        .isNotEqualTo(before);
    assertThat(DaemonKey.compute(jar, "/jdk", "17.0.15", new String[] {"-Xmx1g"}, "/work/sub", env).hex())
        .isNotEqualTo(before);
    Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 5_000));
    assertThat(key().hex()).isNotEqualTo(before);
  }

  @Test
  void sha256_matchesTheJdks_onEveryLengthAroundTheBlockBoundaries() throws Exception {
    Random random = new Random(14);
    for (int length = 0; length < 300; length++) {
      byte[] data = new byte[length];
      random.nextBytes(data);
      Sha256 ours = new Sha256();
      ours.update(data);
      assertThat(ours.digest()).as("length %d", length)
          .isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
    }
    Sha256 abc = new Sha256();
    abc.update("abc".getBytes(StandardCharsets.US_ASCII));
    assertThat(DaemonKey.hex(abc.digest()))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
