package io.geneva.cli;

import io.geneva.ConfigurationException;
import io.geneva.GenevaSession;
import io.geneva.k8s.ClusterSpecFile;
import io.geneva.k8s.KubeAccess;
import io.geneva.k8s.KubeRayCluster;
import io.geneva.k8s.KubeRayProvisioner;
import io.geneva.k8s.KubeRayStatus;
import io.geneva.k8s.RayClusterRenderer;
import io.geneva.spi.Cluster;
import io.geneva.spi.ManifestUri;
import io.geneva.spi.ProvisionContext;
import java.io.File;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code geneva cluster}: a KubeRay cluster described by a spec file (YAML, the builder's field
 * names; see {@link ClusterSpecFile}). {@code render} prints the RayCluster without contacting any
 * cluster; {@code up} provisions it as a session would (pre-flight, create or reuse or patch or
 * replace, wait until ready) and leaves it running whatever its exit policy; {@code status} prints
 * its conditions and pods; {@code down} deletes it.
 *
 * <p>A spec file that cannot be read or is wrong exits 2 with one line naming the file and the
 * field; a cluster that cannot be reached or provisioned exits 1 with one line.
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = "Renders, starts, inspects and deletes a KubeRay cluster described by a spec file.",
    subcommands = {
      ClusterCommand.Render.class,
      ClusterCommand.Up.class,
      ClusterCommand.Status.class,
      ClusterCommand.Down.class
    })
final class ClusterCommand implements Runnable {
  @ParentCommand private GenevaCommand geneva;
  @Spec private CommandSpec spec;

  /** Without a subcommand there is nothing to do: a usage error. */
  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "missing command: use one of " + String.join(", ", spec.subcommands().keySet()));
  }

  /** The {@code --spec} option every subcommand takes. */
  static final class SpecFileOption {
    @Option(names = "--spec", required = true, paramLabel = "FILE",
        description = "The cluster spec: YAML with type: kuberay, name, image, head, workerGroups, ...")
    Path file;
  }

  /** How to reach Kubernetes: kubectl's options. */
  static final class KubeOptions {
    @Option(names = "--context", paramLabel = "NAME",
        description = "The kubeconfig context to use (default: the spec's kubeContext, else the current context).")
    String context;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
        description = "The kubeconfig file (default: the first of $KUBECONFIG, else ~/.kube/config, else the"
            + " pod's service account when run inside the cluster).")
    Path kubeconfig;

    KubeAccess access(GenevaCommand geneva) {
      KubeAccess access = KubeAccess.defaults();
      Optional<Path> file = Optional.ofNullable(kubeconfig).or(() -> geneva.environment("KUBECONFIG")
          .flatMap(list -> List.of(list.split(File.pathSeparator)).stream().filter(s -> !s.isBlank()).findFirst())
          .map(Path::of));
      if (file.isPresent()) {
        access = access.kubeconfig(file.get());
      }
      return context == null ? access : access.context(context);
    }
  }

  /**
   * Reads the spec file; a spec that cannot be read or is wrong is printed as one line and ends the
   * command with exit status 2.
   */
  private static Optional<KubeRayCluster> read(Path file, GenevaCommand geneva) {
    try {
      return Optional.of(ClusterSpecFile.read(file));
    } catch (ConfigurationException e) {
      geneva.err().println("geneva: " + oneLine(e.getMessage()));
      return Optional.empty();
    }
  }

  static String oneLine(String message) {
    return message == null ? "(no message)" : message.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  private static String subject(KubeRayCluster spec) {
    return "kuberay \"" + spec.name() + "\" in namespace \"" + spec.namespace() + "\"";
  }

  /** {@code geneva cluster render}. */
  @Command(name = "render", mixinStandardHelpOptions = true,
      description = {
        "Prints the RayCluster a spec file describes, as YAML, without contacting any cluster: to review it, or to"
            + " apply it yourself with kubectl apply -f -.",
        "Without --manifest, pods read the manifest URI from the ConfigMap geneva-<name>-manifest when they start."
      })
  static final class Render implements Callable<Integer> {
    @ParentCommand private ClusterCommand cluster;
    @Spec private CommandSpec spec;
    @Mixin private SpecFileOption specFile;

    @Option(names = "--manifest", paramLabel = "URI",
        description = "A manifest URI every pod bootstraps, such as s3://bucket/geneva/manifests/<sha256>.json.")
    private URI manifest;

    @Override
    public Integer call() {
      Optional<KubeRayCluster> k = read(specFile.file, cluster.geneva);
      if (k.isEmpty()) {
        return 2;
      }
      if (manifest != null) {
        try {
          ManifestUri.of(manifest);
        } catch (IllegalArgumentException e) {
          throw new ParameterException(spec.commandLine(), "--manifest: " + e.getMessage()
              + ", such as s3://bucket/geneva/manifests/<sha256>.json");
        }
      }
      PrintWriter out = cluster.geneva.out();
      out.print(manifest == null
          ? RayClusterRenderer.renderYaml(k.get()) : RayClusterRenderer.renderYaml(k.get(), manifest));
      out.flush();
      return 0;
    }
  }

  /** {@code geneva cluster up}. */
  @Command(name = "up", mixinStandardHelpOptions = true,
      description = {
        "Provisions the cluster of a spec file as a session does and waits until it is ready: checks the namespace,"
            + " service account, Secret and permissions first, then creates it, reuses it (same spec), or patches"
            + " or replaces it (different spec, as its replacePolicy says).",
        "The cluster keeps running afterwards whatever its exitPolicy; delete it with geneva cluster down."
      })
  static final class Up implements Callable<Integer> {
    @ParentCommand private ClusterCommand cluster;
    @Mixin private SpecFileOption specFile;
    @Mixin private KubeOptions kube;

    @Override
    public Integer call() {
      Optional<KubeRayCluster> k = read(specFile.file, cluster.geneva);
      if (k.isEmpty()) {
        return 2;
      }
      ProvisionContext context = ProvisionContext.builder()
          .home(GenevaSession.Builder.defaultHome())
          .clock(cluster.geneva.clock())
          .build();
      // Not closed: up leaves the cluster running, whatever the spec's exit policy.
      Cluster c = new KubeRayProvisioner(kube.access(cluster.geneva)).provision(k.get(), context);
      PrintWriter out = cluster.geneva.out();
      out.println(c.description());
      out.println("delete it with: geneva cluster down --spec " + specFile.file);
      return 0;
    }
  }

  /** {@code geneva cluster status}. */
  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Prints the status conditions and pods of the cluster of a spec file, and whether it runs this"
          + " spec.")
  static final class Status implements Callable<Integer> {
    @ParentCommand private ClusterCommand cluster;
    @Mixin private SpecFileOption specFile;
    @Mixin private KubeOptions kube;

    @Override
    public Integer call() {
      Optional<KubeRayCluster> k = read(specFile.file, cluster.geneva);
      if (k.isEmpty()) {
        return 2;
      }
      KubeRayStatus status = new KubeRayProvisioner(kube.access(cluster.geneva)).status(k.get());
      print(k.get(), status, cluster.geneva.out());
      return 0;
    }

    static void print(KubeRayCluster spec, KubeRayStatus status, PrintWriter out) {
      if (!status.exists()) {
        out.println(subject(spec) + ": no RayCluster of this name; start it with geneva cluster up");
        return;
      }
      String which = status.specMatches()
          ? "runs this spec (digest " + shortDigest(status.recordedDigest().orElse("")) + ")"
          : status.recordedDigest().map(d -> "runs a different spec (digest " + shortDigest(d) + ", this spec's is "
              + shortDigest(spec.digest()) + ")").orElse("was not made by Geneva (no spec digest)");
      out.println(subject(spec) + ": " + (status.ready() ? "ready" : "not ready") + "; " + which);
      out.println("conditions:");
      if (status.conditions().isEmpty()) {
        out.println("  (none yet)");
      }
      for (KubeRayStatus.Condition c : status.conditions()) {
        String why = c.reason().isEmpty() ? c.message()
            : c.message().isEmpty() ? c.reason() : c.reason() + ": " + c.message();
        out.println("  " + c.type() + "=" + c.status() + (why.isEmpty() ? "" : " (" + why + ")"));
      }
      out.println("pods:");
      if (status.pods().isEmpty()) {
        out.println("  (none)");
      }
      for (KubeRayStatus.Pod p : status.pods()) {
        out.println("  " + p.name() + "  " + p.role() + "  " + p.state());
        p.problem().ifPresent(problem -> out.println("    cannot start: " + problem));
      }
      out.flush();
    }

    private static String shortDigest(String digest) {
      return digest.length() > 12 ? digest.substring(0, 12) : digest;
    }
  }

  /** {@code geneva cluster down}. */
  @Command(name = "down", mixinStandardHelpOptions = true,
      description = "Deletes the cluster of a spec file (its pods, services and manifest ConfigMap go with it),"
          + " whatever spec it runs; does not wait for the pods to stop.")
  static final class Down implements Callable<Integer> {
    @ParentCommand private ClusterCommand cluster;
    @Mixin private SpecFileOption specFile;
    @Mixin private KubeOptions kube;

    @Override
    public Integer call() {
      Optional<KubeRayCluster> k = read(specFile.file, cluster.geneva);
      if (k.isEmpty()) {
        return 2;
      }
      boolean deleted = new KubeRayProvisioner(kube.access(cluster.geneva)).delete(k.get());
      cluster.geneva.out().println(subject(k.get()) + ": " + (deleted ? "deleted" : "no RayCluster of this name"));
      return 0;
    }
  }
}
