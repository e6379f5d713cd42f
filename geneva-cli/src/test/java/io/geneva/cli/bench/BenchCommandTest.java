package io.geneva.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchCommandTest {
  private static final FileTime CORPUS_TIME = FileTime.from(Instant.parse("2024-01-01T00:00:00Z"));

  @TempDir Path dir;

  @Test
  void tinyCorpus_benchCompletesAndPrintsTheVerdictLine() throws IOException {
    Path corpus = tinyCorpus(dir.resolve("corpus"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit =
        run(out, err, "--corpus", corpus.toString(), "--runs", "1", "--skip-python-cold", "--no-fresh", "--no-workers",
            "--work", dir.resolve("work").toString());

    assertThat(exit).as("exit code; stderr:%n%s", err).isZero();
    assertThat(out.toString())
        .contains("A. Cold start", "B. Unchanged", "C. One class file changed", "D. Notebook", "E. Relocated")
        .containsPattern("(?m)^bench: \\d+ passed, \\d+ failed.*$");
    // Correctness targets that do not depend on timing hold even on a tiny corpus.
    assertThat(out.toString()).containsPattern("manifest digest\\s+same as cold");
  }

  @Test
  void tinyCorpus_freshProcessesOnly_printTheFreshTableAndNoInJvmSection() throws IOException {
    Path corpus = tinyCorpus(dir.resolve("corpus"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit = run(out, err, "--corpus", corpus.toString(), "--runs", "1", "--no-warm-jvm", "--no-workers");

    assertThat(exit).as("exit code; stderr:%n%s", err).isZero();
    assertThat(out.toString())
        .contains(
            "Fresh processes (what users run)",
            "Java read + SHA-256 + write of every byte",
            "A cold: fresh home and file store",
            "E relocated",
            "exec:exec@upload-bench")
        .doesNotContain("In-JVM diagnostic")
        .containsPattern("cold wall / SHA-256 wall\\s")
        .containsPattern("unchanged manifest digest\\s+same as cold\\s.*PASS")
        .containsPattern("relocated manifest digest\\s+same as cold\\s.*PASS")
        .containsPattern("(?m)^bench: \\d+ passed, \\d+ failed.*$");
  }

  @Test
  void zeroRuns_isRefusedNamingTheOption() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit = run(out, err, "--runs", "0");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--runs must be at least 1, not 0");
  }

  @Test
  void leavingOutAllThreeParts_isRefused() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit = run(out, err, "--no-fresh", "--no-warm-jvm", "--no-workers");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("leave nothing to measure");
  }

  @Test
  void genevaCommandWithNoFresh_isRefused() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit = run(out, err, "--no-fresh", "--no-workers", "--geneva-command", "geneva");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--geneva-command is for", "--no-fresh and --no-workers leave out");
  }

  @Test
  void workersOnlyWithNoWorkers_isRefused() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit = run(out, err, "--workers-only", "--no-workers");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--workers-only and --no-workers together leave nothing to measure");
  }

  @Test
  void workerJavaWithNoWorkers_isRefused() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit = run(out, err, "--no-workers", "--worker-java", "/usr/bin/java");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--worker-java is for the workers bench, which --no-workers leaves out");
  }

  @Test
  void missingWorkerJava_failsWithOneLineNamingIt() throws IOException {
    Path corpus = tinyCorpus(dir.resolve("corpus"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit = run(out, err, "--corpus", corpus.toString(), "--workers-only", "--worker-java",
        dir.resolve("no-jdk/bin/java").toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().strip())
        .doesNotContain("\n")
        .contains("--worker-java " + dir.resolve("no-jdk/bin/java") + " does not exist", "/usr/lib/jvm/<jdk>/bin/java");
  }

  @Test
  void tinyCorpus_workersOnly_runsTheTrivialTaskAndSaysWhatItCouldNotMeasure() throws IOException {
    Path corpus = tinyCorpus(dir.resolve("corpus"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit = run(out, err, "--corpus", corpus.toString(), "--runs", "1", "--workers-only", "--json");

    assertThat(exit).as("exit code; stderr:%n%s", err).isZero();
    assertThat(err.toString())
        .contains("W1. Trivial task", "W2. Heavy task", "W3. Mismatch")
        .doesNotContain("Fresh processes (what users run)", "In-JVM diagnostic")
        .containsPattern("retained workers reused by every measured run\\s+2 of 2 warm\\s.*PASS")
        .containsPattern("heavy task: first result, class-data cache / class path\\s+n/a: no jar in .* holds Spark")
        .containsPattern("geneva run wall / bare java wall")
        .contains("median run: outside the command's clock", "packaged after", "job start to first result");
    JsonNode json = new ObjectMapper().readTree(out.toString());
    JsonNode trivial = json.get("workers").get(0).get("data");
    assertThat(trivial.get("retained").get("medianRunWorkers")).hasSize(2);
    // The retained workers were stopped at the end: none of their pids is alive.
    for (JsonNode pid : json.get("workers").get(0).findValues("pid")) {
      assertThat(ProcessHandle.of(pid.asLong()).filter(ProcessHandle::isAlive)).isEmpty();
    }
  }

  @Test
  void badGenevaCommand_failsWithOneLineNamingIt() throws IOException {
    Path corpus = tinyCorpus(dir.resolve("corpus"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit =
        run(out, err, "--corpus", corpus.toString(), "--geneva-command", dir.resolve("no/bin/geneva").toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().strip())
        .doesNotContain("\n")
        .contains("--geneva-command", "does not exist");
  }

  @Test
  void missingCorpus_failsWithOneLineNamingTheScript() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit = run(out, err, "--corpus", dir.resolve("nothing-here").toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().strip()).doesNotContain("\n").contains("make-corpus.sh");
  }

  private static int run(StringWriter out, StringWriter err, String... args) {
    return new CommandLine(new BenchCommand())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
  }

  /** deps/ with two small jars, workspace/ with a few packages of class files, notebook/ with a notebook. */
  private static Path tinyCorpus(Path root) throws IOException {
    Path deps = Files.createDirectories(root.resolve("deps"));
    jar(deps.resolve("alpha-1.0.jar"), "alpha");
    jar(deps.resolve("beta-2.0.jar"), "beta");
    for (String pkg : new String[] {"com/example/app", "com/example/util", "org/other"}) {
      Path p = Files.createDirectories(root.resolve("workspace").resolve(pkg));
      for (int i = 0; i < 8; i++) {
        Files.write(p.resolve("C" + i + ".class"), classBytes(pkg + i));
      }
    }
    Files.writeString(root.resolve("workspace/app.properties"), "name=tiny\n");
    Path notebook = Files.createDirectories(root.resolve("notebook"));
    Files.writeString(
        notebook.resolve("analysis.ipynb"),
        "{\"cells\": [{\"cell_type\": \"code\", \"source\": [\"x = 1\\n\"], \"outputs\": [], \"metadata\": {}}],"
            + " \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}\n");
    Files.writeString(notebook.resolve("helpers.py"), "def f(x):\n    return x\n");
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Files.setLastModifiedTime(p, CORPUS_TIME);
      }
    }
    return root;
  }

  private static void jar(Path file, String name) throws IOException {
    try (OutputStream raw = Files.newOutputStream(file);
        JarOutputStream jar = new JarOutputStream(raw)) {
      for (int i = 0; i < 3; i++) {
        jar.putNextEntry(new JarEntry(name + "/K" + i + ".class"));
        jar.write(classBytes(name + i));
        jar.closeEntry();
      }
    }
  }

  private static byte[] classBytes(String seed) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      body.append(seed).append(':').append(i).append(';');
    }
    byte[] text = body.toString().getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[text.length + 4];
    bytes[0] = (byte) 0xCA;
    bytes[1] = (byte) 0xFE;
    bytes[2] = (byte) 0xBA;
    bytes[3] = (byte) 0xBE;
    System.arraycopy(text, 0, bytes, 4, text.length);
    return bytes;
  }
}
