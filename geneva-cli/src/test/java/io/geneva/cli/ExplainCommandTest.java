package io.geneva.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainCommandTest {
  @TempDir Path dir;
  Workspace ws;
  String firstDigest;
  String secondDigest;

  @BeforeEach
  void packageTwiceWithOneFileChanged() throws IOException {
    ws = new Workspace(dir);
    firstDigest = ws.packageJson().get("manifestDigest").asText();
    ws.write("com/example/Two.txt", "two, changed", Instant.parse("2021-01-01T00:00:00Z"));
    secondDigest = ws.packageJson().get("manifestDigest").asText();
  }

  private String[] explainArgs(String... extra) {
    String[] base = {"explain", "--storage", ws.storage.toString(), "--home", ws.home.toString(),
        "--classpath", ws.classpath(), "--project-dir", ws.project.toString()};
    String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return args;
  }

  @Test
  void explain_afterOneFileChanged_namesThatFileAndTheNewManifest() {
    Cli.Result r = Cli.run(explainArgs());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("manifest " + secondDigest)
        .contains("differs from the previous package")
        .contains(firstDigest)
        .containsPattern("sent classes#0 \\(.*\\): .*com/example/Two.txt")
        .doesNotContain("small-1.0.jar");
  }

  @Test
  void explain_json_holdsTheLatestAndThePreviousReport() throws IOException {
    Cli.Result r = Cli.run(explainArgs("--json"));

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode both = Workspace.JSON.readTree(r.out());
    assertThat(both.get("latest").get("manifestDigest").asText()).isEqualTo(secondDigest);
    assertThat(both.get("previous").get("manifestDigest").asText()).isEqualTo(firstDigest);
  }
}
