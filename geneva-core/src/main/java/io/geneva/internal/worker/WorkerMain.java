package io.geneva.internal.worker;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The main class of a local worker JVM, started by the local provisioner with Geneva's runtime only
 * on its class path. Everything it runs comes from manifests.
 *
 * <pre>
 * java -cp &lt;geneva runtime&gt; io.geneva.internal.worker.WorkerMain --name local-1 --state FILE --token FILE
 *     --cache DIR --cache-max-bytes N --idle-timeout-millis N [--parent-pid PID]
 * </pre>
 *
 * <p>It prints one line per milestone to standard error, which the provisioner sends to the worker's
 * log file.
 */
public final class WorkerMain {
  private WorkerMain() {}

  /** Starts the worker; returns only if the arguments are wrong (exit status 2). */
  public static void main(String[] args) {
    // Jackson's set-up for the first manifest runs beside the JVM's start and the wait for the session.
    Prewarm.start();
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        usage("unexpected argument " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    if (args.length % 2 != 0) {
      usage("missing value after " + args[args.length - 1]);
    }
    String name = required(options, "name");
    WorkerServer.Config config = new WorkerServer.Config(
        name,
        Path.of(required(options, "state")),
        Path.of(required(options, "token")),
        Path.of(required(options, "cache")),
        Long.parseLong(required(options, "cache-max-bytes")),
        Duration.ofMillis(Long.parseLong(required(options, "idle-timeout-millis"))),
        options.containsKey("parent-pid") ? Long.parseLong(options.get("parent-pid")) : -1);
    try {
      WorkerServer.start(config, Clock.systemUTC()).awaitExit();
    } catch (RuntimeException e) {
      System.err.println("geneva worker " + name + " failed: " + e);
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  private static String required(Map<String, String> options, String name) {
    String v = options.get(name);
    if (v == null) {
      usage("missing --" + name);
    }
    return v;
  }

  private static void usage(String problem) {
    System.err.println("geneva worker: " + problem + "; this program is started by Geneva's local"
        + " provisioner, not by hand");
    System.exit(2);
  }
}
