package io.geneva.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code geneva package --storage s3://...} in a separate JVM configured by the environment alone,
 * against a real S3-compatible server that checks signatures.
 */
class S3EnvironmentTest {
  @RegisterExtension
  static final S3ProxyExtension S3 = S3ServerForCli.server("geneva-access", "geneva-secret-key-never-printed");

  @TempDir Path dir;

  @Test
  void packageWorksAgainstAServerConfiguredByEnvironmentAloneAndASecondHomeUploadsNothing() throws Exception {
    S3ServerForCli.withBucket(S3);
    Workspace ws = new Workspace(dir.resolve("ws"));
    JsonNode first = packageInChildJvm(dir.resolve("home-1"), ws);
    assertThat(first.get("bytesUploaded").asLong()).isPositive();
    JsonNode second = packageInChildJvm(dir.resolve("home-2"), ws); // nothing known locally
    assertThat(second.get("bytesUploaded").asLong()).isZero();
    assertThat(second.get("manifestDigest").asText()).isEqualTo(first.get("manifestDigest").asText());
  }

  private JsonNode packageInChildJvm(Path home, Workspace ws) throws IOException, InterruptedException {
    S3ServerForCli.Output r = S3ServerForCli.geneva(S3, Map.of(), dir, home.getFileName().toString(),
        "package", "--storage", "s3://" + S3ServerForCli.BUCKET + "/ci", "--home", home.toString(),
        "--classpath", ws.classpath(), "--project-dir", ws.project.toString(), "--json");
    assertThat(r.exitCode()).as("exit status; stderr: %s", r.err()).isZero();
    assertThat(r.err() + r.out()).doesNotContain(S3.getSecretKey());
    return new ObjectMapper().readTree(r.out());
  }
}
