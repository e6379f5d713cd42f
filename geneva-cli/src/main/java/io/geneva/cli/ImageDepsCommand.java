package io.geneva.cli;

import io.geneva.ImageLibrary;
import io.geneva.Manifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code geneva image-deps}: what a worker image must hold for a manifest packaged with dependencies
 * in the image: the provided jars (file name, size, SHA-256), and a Dockerfile snippet that copies
 * them into the image's library directory and fails the image build if one differs.
 */
@Command(
    name = "image-deps",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the dependency jars a worker image must provide for a manifest packaged with"
          + " --dependencies-in-image, and a Dockerfile snippet that puts them in the image and checks them."
    })
final class ImageDepsCommand implements Callable<Integer> {
  @ParentCommand private GenevaCommand geneva;

  @Option(names = "--manifest", required = true, paramLabel = "URI",
      description = "The manifest: s3://bucket/prefix/manifests/<digest>.json, a file: URI or a local path.")
  private String manifest;

  @Option(names = "--lib-dir", paramLabel = "DIR", defaultValue = ImageLibrary.DEFAULT_DIRECTORY,
      description = "The image's library directory (default: ${DEFAULT-VALUE}); workers read it from "
          + ImageLibrary.ENV + ".")
  private String libDir;

  @Override
  public Integer call() throws IOException {
    Manifest m = InspectCommand.load(manifest).manifest();
    List<Manifest.Package> provided = m.classpath().stream().filter(p -> p.provided() != null).toList();
    PrintWriter out = geneva.out();
    if (provided.isEmpty()) {
      geneva.err().println("geneva: manifest " + manifest + " was packaged with every jar in storage; the image needs"
          + " none (package with --dependencies-in-image to leave dependency jars to the image)");
      return 1;
    }
    long total = provided.stream().mapToLong(Manifest.Package::size).sum();
    out.printf(Locale.ROOT, "%d jars (%,d bytes) in %s, found by SHA-256:%n", provided.size(), total, libDir);
    int width = provided.stream().mapToInt(p -> p.provided().length()).max().orElse(0);
    for (Manifest.Package p : provided) {
      out.printf(Locale.ROOT, "  %-" + width + "s  %,13d  %s%n", p.provided(), p.size(), p.sha256());
    }
    out.println();
    out.println("Dockerfile (copy the jars from where your build puts them; the check fails the build if one differs):");
    out.println("  COPY <your dependency directory>/ " + libDir + "/");
    out.println("  ENV " + ImageLibrary.ENV + "=" + libDir);
    out.println("  RUN cd " + libDir + " && printf '%s\\n' \\");
    for (Manifest.Package p : provided) {
      out.println("        '" + p.sha256() + "  " + p.provided() + "' \\");
    }
    out.println("      | sha256sum -c -");
    out.flush();
    return 0;
  }
}
