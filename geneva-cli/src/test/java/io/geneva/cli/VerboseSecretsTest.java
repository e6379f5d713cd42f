package io.geneva.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 6: with --verbose the AWS SDK's debug log printed the canonical request, session token
 * included. Every AWS variable is set to a marked value; no output or file Geneva writes may hold one.
 */
class VerboseSecretsTest {
  private static final String MARK = "SECRETMARKER";

  @RegisterExtension
  static final S3ProxyExtension S3 = S3ServerForCli.server(MARK + "AccessKeyId", MARK + "SecretAccessKey");

  @TempDir Path dir;

  @Test
  void verbosePackageAgainstS3_printsNoCredentialTokenOrSignature_anywhere() throws Exception {
    S3ServerForCli.withBucket(S3);
    Workspace ws = new Workspace(dir.resolve("ws"));
    Path home = dir.resolve("home");
    S3ServerForCli.Output r = S3ServerForCli.geneva(S3, Map.of("AWS_SESSION_TOKEN", MARK + "SessionToken"), dir,
        "verbose", "package", "--verbose", "--storage", "s3://" + S3ServerForCli.BUCKET + "/ci", "--home",
        home.toString(), "--classpath", ws.classpath(), "--project-dir", ws.project.toString());

    assertThat(r.err()).as("the debug log is on").contains("DEBUG");
    assertThat(r.err() + r.out()).doesNotContain(MARK)
        .doesNotContainIgnoringCase("x-amz-security-token:")
        .doesNotContainIgnoringCase("Signature=");
    try (Stream<Path> files = Files.walk(home)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(MARK);
      }
    }
  }
}
