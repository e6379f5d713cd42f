package io.geneva.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code geneva package --storage s3://...} in a separate JVM configured by the environment alone,
 * against a real S3-compatible server that checks signatures.
 */
class S3EnvironmentTest {
  @RegisterExtension
  static final S3ProxyExtension S3 = S3ProxyExtension.builder()
      .withCredentials("geneva-access", "geneva-secret-key-never-printed")
      .ignoreUnknownHeaders()
      .withBlobStoreProvider("transient")
      .build();

  @TempDir Path dir;

  @Test
  void packageWorksAgainstAServerConfiguredByEnvironmentAloneAndASecondHomeUploadsNothing() throws Exception {
    try (S3Client raw = S3Client.builder()
        .endpointOverride(S3.getUri())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3.getAccessKey(), S3.getSecretKey())))
        .build()) {
      raw.createBucket(b -> b.bucket("geneva-bucket"));
    }
    Workspace ws = new Workspace(dir.resolve("ws"));
    JsonNode first = packageInChildJvm(dir.resolve("home-1"), ws);
    assertThat(first.get("bytesUploaded").asLong()).isPositive();
    JsonNode second = packageInChildJvm(dir.resolve("home-2"), ws); // nothing known locally
    assertThat(second.get("bytesUploaded").asLong()).isZero();
    assertThat(second.get("manifestDigest").asText()).isEqualTo(first.get("manifestDigest").asText());
  }

  private JsonNode packageInChildJvm(Path home, Workspace ws) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        GenevaCommand.class.getName(),
        "package", "--storage", "s3://geneva-bucket/ci", "--home", home.toString(),
        "--classpath", ws.classpath(), "--project-dir", ws.project.toString(), "--json"));
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_"));
    env.put("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + S3.getUri().getPort());
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", S3.getAccessKey());
    env.put("AWS_SECRET_ACCESS_KEY", S3.getSecretKey());
    Path out = dir.resolve("out-" + home.getFileName() + ".json");
    Path err = dir.resolve("err-" + home.getFileName() + ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("exit status; stderr: %s", stderr).isZero();
    assertThat(stderr + Files.readString(out)).doesNotContain(S3.getSecretKey());
    return new ObjectMapper().readTree(out.toFile());
  }
}
