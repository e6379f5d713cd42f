package io.geneva.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 15 item 6: with --verbose the AWS SDK's debug log printed the canonical request, session token
 * included. Every AWS variable is set to a marked value; no output or file Geneva writes may hold one.
 */
class VerboseSecretsTest {
  private static final String MARK = "SECRETMARKER";

  @RegisterExtension
  static final S3ProxyExtension S3 = S3ProxyExtension.builder()
      .withCredentials(MARK + "AccessKeyId", MARK + "SecretAccessKey")
      .ignoreUnknownHeaders()
      .withBlobStoreProvider("transient")
      .build();

  @TempDir Path dir;

  @Test
  void verbosePackageAgainstS3_printsNoCredentialTokenOrSignature_anywhere() throws Exception {
    try (S3Client raw = S3Client.builder()
        .endpointOverride(S3.getUri())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3.getAccessKey(), S3.getSecretKey())))
        .build()) {
      raw.createBucket(b -> b.bucket("geneva-bucket"));
    }
    Workspace ws = new Workspace(dir.resolve("ws"));
    Path home = dir.resolve("home");
    ProcessBuilder pb = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        GenevaCommand.class.getName(),
        "package", "--verbose", "--storage", "s3://geneva-bucket/ci", "--home", home.toString(),
        "--classpath", ws.classpath(), "--project-dir", ws.project.toString()));
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_"));
    env.put("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + S3.getUri().getPort());
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", S3.getAccessKey());
    env.put("AWS_SECRET_ACCESS_KEY", S3.getSecretKey());
    env.put("AWS_SESSION_TOKEN", MARK + "SessionToken");
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String stderr = Files.readString(err, StandardCharsets.UTF_8);

    assertThat(stderr).as("the debug log is on").contains("DEBUG");
    assertThat(stderr + Files.readString(out)).doesNotContain(MARK)
        .doesNotContainIgnoringCase("x-amz-security-token:")
        .doesNotContainIgnoringCase("Signature=");
    try (Stream<Path> files = Files.walk(home)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(MARK);
      }
    }
  }
}
