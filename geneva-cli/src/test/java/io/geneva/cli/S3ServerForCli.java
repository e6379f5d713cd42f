package io.geneva.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for CLI tests (S3Proxy on an in-memory blob store, checking
 * signatures), and {@code geneva} run against it in a child JVM configured by the environment
 * alone, as a user's shell would configure it.
 */
final class S3ServerForCli {
  /** The bucket {@link #withBucket} creates. */
  static final String BUCKET = "geneva-bucket";

  private S3ServerForCli() {}

  /** A server, for {@code @RegisterExtension}, that accepts only these credentials. */
  static S3ProxyExtension server(String accessKeyId, String secretAccessKey) {
    return S3ProxyExtension.builder()
        .withCredentials(accessKeyId, secretAccessKey)
        .ignoreUnknownHeaders()
        .withBlobStoreProvider("transient")
        .build();
  }

  /** Creates {@link #BUCKET} on the server, with the server's credentials. */
  static void withBucket(S3ProxyExtension s3) {
    try (S3Client raw = S3Client.builder()
        .endpointOverride(s3.getUri())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(s3.getAccessKey(), s3.getSecretKey())))
        .build()) {
      raw.createBucket(b -> b.bucket(BUCKET));
    }
  }

  /** What a child {@code geneva} printed. */
  record Output(int exitCode, String out, String err) {}

  /**
   * Runs {@code geneva args...} in a child JVM whose only AWS configuration is the environment:
   * the server's endpoint, region and credentials, plus {@code moreEnvironment}. Its output goes
   * through files in {@code dir} named after {@code name}.
   */
  static Output geneva(S3ProxyExtension s3, Map<String, String> moreEnvironment, Path dir, String name,
      String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        GenevaCommand.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_"));
    env.put("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + s3.getUri().getPort());
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", s3.getAccessKey());
    env.put("AWS_SECRET_ACCESS_KEY", s3.getSecretKey());
    env.putAll(moreEnvironment);
    Path out = dir.resolve("out-" + name + ".txt");
    Path err = dir.resolve("err-" + name + ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("geneva %s ended within 120 s", name).isTrue();
    return new Output(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
