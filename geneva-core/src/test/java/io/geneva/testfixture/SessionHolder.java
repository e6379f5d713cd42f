package io.geneva.testfixture;

import io.geneva.Geneva;
import io.geneva.GenevaSession;
import io.geneva.Job;
import io.geneva.LocalCluster;
import io.geneva.WorkerReport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A second session in a process of its own, as a concurrent {@code geneva run} is: opens a session on
 * a local cluster of one worker (args: home, classpath, JVM option or "-"), warms it up and prints
 * "ready <worker pid>", waits for a line on standard input, runs a job and prints "done <results>",
 * then closes the session (policy DELETE) and exits.
 */
public final class SessionHolder {
  private SessionHolder() {}

  public static void main(String[] args) throws Exception {
    LocalCluster cluster = LocalCluster.workers(1);
    if (!args[2].equals("-")) {
      cluster = cluster.jvmOptions(List.of(args[2]));
    }
    try (GenevaSession session = Geneva.connect().home(Path.of(args[0])).classpath(args[1])
        .projectDirectory(Path.of(args[0])).cluster(cluster).open()) {
      List<WorkerReport> workers = session.warmup();
      System.out.println("ready " + workers.get(0).pid());
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      List<SquareTask.Square> results = session.submit(Job.of(SquareTask.class).partitions(3)).join().results();
      System.out.println("done " + results.stream().map(r -> Long.toString(r.square())).collect(Collectors.joining(",")));
      System.out.flush();
    }
  }
}
