package io.geneva.cli.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The Geneva daemons a bench's fresh processes may start when {@code --geneva-command} is {@code
 * bin/geneva}: each scenario's process gets a daemon directory in its own Geneva home ({@value
 * #DIRECTORY}), so its own daemon (a cold run starts one; later runs on the same home use it), and every daemon is stopped
 * with {@code geneva daemon stop --all} before its home is deleted and at the end. With {@code java
 * -jar geneva.jar} no daemon ever starts and this does nothing.
 *
 * <p>Not thread-safe; one per bench.
 */
final class BenchDaemons {
  /**
   * Where {@code bin/geneva} keeps its daemons. Not {@code GENEVA_HOME}: that would also give every
   * scenario its own class-data archive directory, and the launcher would train an archive after
   * each run in a fresh home, in the background of the next measured one.
   */
  static final String DIRECTORY = "GENEVA_DAEMON_DIR";

  private final GenevaProcess geneva;
  private final Set<Path> homes = new LinkedHashSet<>();
  private final List<Long> stopped = new ArrayList<>();

  BenchDaemons(GenevaProcess geneva) {
    this.geneva = geneva;
  }

  /** The environment of a process whose Geneva home is {@code home}, with {@code extra} added. */
  Map<String, String> environment(Path home, Map<String, String> extra) {
    homes.add(home);
    Map<String, String> env = new java.util.HashMap<>(extra);
    env.put(DIRECTORY, home.resolve("daemon").toString());
    return Map.copyOf(env);
  }

  /** Stops the daemons under this home, if any, and waits for them to end. */
  void stop(Path home) {
    Path dir = home.resolve("daemon");
    if (!hasSockets(dir)) {
      return;
    }
    List<String> command = geneva.command(List.of("daemon", "stop", "--all"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put(DIRECTORY, dir.toString());
    try {
      Process p = builder.start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new BenchException("geneva daemon stop --all (" + DIRECTORY + " " + dir + ") did not end in 60 s");
      }
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("pid (\\d+)").matcher(out);
      while (m.find()) {
        stopped.add(Long.parseLong(m.group(1)));
      }
    } catch (IOException e) {
      throw new BenchException("cannot run " + String.join(" ", command) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchException("interrupted while stopping the Geneva daemons of " + home);
    }
  }

  /** Stops the daemons of every home handed out. */
  void stopAll() {
    for (Path home : homes) {
      stop(home);
    }
  }

  /** A line for the report when daemons served the processes, else empty. */
  java.util.Optional<String> summary() {
    if (stopped.isEmpty()) {
      return java.util.Optional.empty();
    }
    long alive = stopped.stream().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).count();
    return java.util.Optional.of("Geneva daemon used: " + geneva.description() + " ran the commands in "
        + stopped.size() + " Geneva daemon" + (stopped.size() == 1 ? "" : "s")
        + " (one per scenario's Geneva home; a cold run starts its own), all stopped at the end"
        + (alive == 0 ? "" : " except " + alive + " still running"));
  }

  private static boolean hasSockets(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (DirectoryStream<Path> sockets = Files.newDirectoryStream(dir, "*.sock")) {
      return sockets.iterator().hasNext();
    } catch (IOException e) {
      return false;
    }
  }
}
