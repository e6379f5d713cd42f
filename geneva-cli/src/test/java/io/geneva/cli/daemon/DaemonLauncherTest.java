package io.geneva.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code src/main/bin/geneva} for real, with a daemon: the launcher beside a {@code geneva.jar}
 * whose manifest names this test's class path and a {@code geneva-client.jar} of the client's
 * classes, as the build lays them out. Every test stops its daemons, and checks that none is left.
 */
class DaemonLauncherTest {
  private static final Pattern PID = Pattern.compile("pid (\\d+)");

  @TempDir static Path install;
  @TempDir Path home;
  @TempDir Path work;

  private static Path launcher;

  @BeforeAll
  static void install() throws IOException {
    Path bin = Files.createDirectories(install.resolve("bin"));
    launcher = bin.resolve("geneva");
    Files.copy(Path.of("src/main/bin/geneva"), launcher);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> classPath = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry).toAbsolutePath();
      if (Files.exists(path)) {
        classPath.add(path.toUri().toString());
      }
    }
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "io.geneva.cli.GenevaCommand");
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(install.resolve("geneva.jar")), manifest)) {
      // The manifest is the jar.
    }
    Path classes = Path.of(DaemonClient.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    Path daemonClasses = classes.resolve("io/geneva/cli/daemon");
    try (OutputStream file = Files.newOutputStream(install.resolve("geneva-client.jar"));
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> files = Files.list(daemonClasses)) {
      for (Path f : files.sorted().toList()) {
        String name = f.getFileName().toString();
        if (name.matches("(DaemonClient|DaemonControl|DaemonDirectory|DaemonKey|Protocol|Sha256)([$].*)?[.]class")) {
          out.putNextEntry(new JarEntry("io/geneva/cli/daemon/" + name));
          Files.copy(f, out);
          out.closeEntry();
        }
      }
    }
  }

  @AfterEach
  void noDaemonLeft() throws Exception {
    Child stop = launch(Map.of(), "daemon", "stop", "--all");
    assertThat(stop.exit()).isZero();
    assertThat(launch(Map.of(), "daemon", "status").out()).startsWith("no Geneva daemon is running");
  }

  @Test
  void twoRuns_areServedByOneDaemon_withTheInProcessOutputByteForByte() throws Exception {
    Child version = launch(Map.of(), "--version");
    long pid = daemonPid();
    Child inProcess = launch(Map.of("GENEVA_DAEMON", "off"), "--version");
    assertThat(version).isEqualTo(inProcess);
    assertThat(version.exit()).isZero();

    Path ws = Files.createDirectories(work.resolve("ws/classes"));
    Files.writeString(ws.resolve("A.class"), "not really a class");
    String[] pack = {"package", "--storage", work.resolve("store").toString(), "--classpath", ws.toString()};
    assertThat(launch(Map.of(), pack).exit()).isZero();
    Child unchanged = launch(Map.of(), pack);
    Child unchangedInProcess = launch(Map.of(), prepend("--no-daemon", pack));
    assertThat(unchanged.exit()).isZero();
    assertThat(masked(unchanged.out())).isEqualTo(masked(unchangedInProcess.out())).contains("uploaded nothing");
    assertThat(unchanged.err()).isEqualTo(withoutSlf4jNotes(unchangedInProcess.err()));

    Path manifest;
    try (Stream<Path> m = Files.list(work.resolve("store/manifests"))) {
      manifest = m.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
    }
    Child inspect = launch(Map.of(), "inspect", manifest.toString());
    assertThat(inspect).isEqualTo(launch(Map.of("GENEVA_DAEMON", "off"), "inspect", manifest.toString()));
    assertThat(inspect.out()).contains("WORKSPACE: 1 package").doesNotContain("geneva:");

    Child usage = launch(Map.of(), "package", "--zzzzzzzz");
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(usage).isEqualTo(launch(Map.of("GENEVA_DAEMON", "off"), "package", "--zzzzzzzz"));

    assertThat(daemonPid()).as("every run served by the first daemon").isEqualTo(pid);
    assertThat(Files.readString(log())).contains("'inspect' exited 0").doesNotContain(manifest.toString());

    Child stop = launch(Map.of(), "daemon", "stop");
    assertThat(stop.out()).isEqualTo("stopped the Geneva daemon (pid " + pid + ")\n");
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
  }

  @Test
  void badSettings_areUsageErrorsThatNameTheVariable() throws Exception {
    Child maybe = launch(Map.of("GENEVA_DAEMON", "maybe"), "--version");
    assertThat(maybe.exit()).isEqualTo(2);
    assertThat(maybe.err()).isEqualTo("geneva: GENEVA_DAEMON is 'maybe'; set it to on (the default) or off\n");

    Child idle = launch(Map.of("GENEVA_DAEMON_IDLE", "xyz"), "--version");
    assertThat(idle.exit()).isEqualTo(2);
    assertThat(idle.err())
        .isEqualTo("geneva: GENEVA_DAEMON_IDLE is 'xyz'; set it to how long an idle daemon stays, such as 90s, 30m or 2h\n");
    assertThat(idle.out()).isEmpty();
  }

  @Test
  void aSocketPathTooLongForUnixSockets_runsTheCommandInItsOwnJvm_andSaysHowToFixIt() throws Exception {
    Path deep = work.resolve("d".repeat(60)).resolve("e".repeat(60));
    Child version = launch(Map.of("GENEVA_DAEMON_DIR", deep.toString()), "--version");
    assertThat(version.exit()).isZero();
    assertThat(version.out()).isEqualTo(launch(Map.of("GENEVA_DAEMON", "off"), "--version").out());
    assertThat(withoutSlf4jNotes(version.err()))
        .startsWith("geneva: not using the Geneva daemon: its socket path " + deep)
        .contains("set GENEVA_DAEMON_DIR to a shorter directory");
    assertThat(launch(Map.of(), "daemon", "status").out()).startsWith("no Geneva daemon is running");
  }

  @Test
  void aDaemonKilledWithoutCleaningUp_isReplaced() throws Exception {
    assertThat(launch(Map.of(), "--version").exit()).isZero();
    long pid = daemonPid();
    ProcessHandle daemon = ProcessHandle.of(pid).orElseThrow();
    daemon.destroyForcibly();
    daemon.onExit().get(30, TimeUnit.SECONDS);
    assertThat(sockets()).as("the dead daemon's socket file is left").hasSize(1);

    assertThat(launch(Map.of(), "--version").exit()).isZero();
    assertThat(daemonPid()).isNotEqualTo(pid);
    assertThat(sockets()).hasSize(1);
  }

  private List<Path> sockets() throws IOException {
    return DaemonControl.sockets(home.resolve("daemon"));
  }

  private Path log() throws IOException {
    try (Stream<Path> logs = Files.list(home.resolve("daemon"))) {
      return logs.filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow();
    }
  }

  private long daemonPid() throws Exception {
    Child status = launch(Map.of(), "daemon", "status");
    Matcher m = PID.matcher(status.out());
    assertThat(m.find()).as(status.out()).isTrue();
    long pid = Long.parseLong(m.group(1));
    assertThat(m.find()).as("one daemon: " + status.out()).isFalse();
    return pid;
  }

  /** Timings and sizes vary from run to run; the words do not. */
  private static String masked(String text) {
    return text.replaceAll("[0-9]+([.,][0-9]+)?", "#");
  }

  /**
   * This test's class path holds two slf4j providers (geneva.jar holds one), and slf4j says so once
   * per JVM: in a fresh one on its first log call, in the daemon into its log before it is ready.
   */
  private static String withoutSlf4jNotes(String err) {
    return err.replaceAll("(?m)^SLF4J\\([WI]\\): .*\\R", "");
  }

  private static String[] prepend(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  private record Child(int exit, String out, String err) {}

  private Child launch(Map<String, String> environment, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("GENEVA_") || k.equals("JAVA_HOME"));
    env.put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    env.put("GENEVA_HOME", home.toString());
    env.put("GENEVA_CDS", "off");
    env.put("GENEVA_DAEMON_IDLE", "5m");
    env.putAll(environment);
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("the launcher finished").isTrue();
    return new Child(p.exitValue(), Files.readString(out), Files.readString(err));
  }
}
