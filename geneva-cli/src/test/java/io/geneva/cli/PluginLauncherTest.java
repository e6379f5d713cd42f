package io.geneva.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.geneva.cli.PluginLauncher.PluginException;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage plugins on the {@code geneva} command: a provider of a new scheme, compiled by the test into
 * a jar, used through {@code --plugin-path} and through {@code GENEVA_PLUGINS}, by the command in a
 * child JVM started as {@code java ... GenevaCommand} (what {@code java -jar geneva.jar} runs).
 */
class PluginLauncherTest {
  private static final String PROVIDER = "myplug.MySchemeProvider";

  @TempDir Path dir;
  Path pluginJar;
  Workspace ws;

  @BeforeEach
  void setUp() throws IOException {
    pluginJar = buildPlugin(dir.resolve("plugin-build"), dir.resolve("plugins").resolve("myscheme-plugin.jar"));
    ws = new Workspace(dir.resolve("ws"));
  }

  private String storageRoot() {
    return "myscheme://" + dir.resolve("store").toAbsolutePath() + "/";
  }

  // --- the plugin jars a command line and environment give ---

  @Test
  void pluginPath_givesItsJarsAndTheJarsOfItsDirectories_inOrder_eachOnce() throws Exception {
    Path other = Files.createDirectories(dir.resolve("more"));
    Path b = Files.writeString(other.resolve("b.jar"), "");
    Path a = Files.writeString(other.resolve("a.jar"), "");
    Files.writeString(other.resolve("notes.txt"), "not a jar");

    List<Path> jars = PluginLauncher.pluginJars(Map.of("GENEVA_HOME", dir.resolve("home").toString()),
        new String[] {"package", "--plugin-path", pluginJar + File.pathSeparator + other, "--plugin-path=" + pluginJar});

    assertThat(jars).containsExactly(pluginJar, a, b);
  }

  @Test
  void genevaPlugins_andTheHomesPluginsDirectory_areReadWithoutAnyOption() throws Exception {
    Path home = dir.resolve("home");
    Path homePlugin = Files.writeString(Files.createDirectories(home.resolve("plugins")).resolve("p.jar"), "");

    assertThat(PluginLauncher.pluginJars(Map.of("GENEVA_HOME", home.toString()), new String[] {"package"}))
        .containsExactly(homePlugin);
    assertThat(PluginLauncher.pluginJars(Map.of(), new String[] {"package", "--home", home.toString()}))
        .containsExactly(homePlugin);
    assertThat(PluginLauncher.pluginJars(
            Map.of("GENEVA_HOME", home.toString(), "GENEVA_PLUGINS", pluginJar.getParent().toString()),
            new String[] {"package"}))
        .as("GENEVA_PLUGINS replaces the home's directory")
        .containsExactly(pluginJar);
    assertThat(PluginLauncher.pluginJars(Map.of("GENEVA_HOME", dir.resolve("nowhere").toString()), new String[0]))
        .as("no plugins directory, no plugins")
        .isEmpty();
  }

  @Test
  void aMissingPluginPathEntry_isAnErrorNamingItAndTheFix() {
    Path missing = dir.resolve("missing.jar");

    assertThatThrownBy(() -> PluginLauncher.pluginJars(Map.of(), new String[] {"--plugin-path", missing.toString()}))
        .isInstanceOf(PluginException.class)
        .hasMessage("--plugin-path entry " + missing + " does not exist; pass existing plugin jars or directories"
            + " of jars");
  }

  @Test
  void aPluginPathEntryThatIsNotAJar_isAnErrorNamingIt() throws IOException {
    Path text = Files.writeString(dir.resolve("plugin.txt"), "x");

    assertThatThrownBy(() -> PluginLauncher.pluginJars(Map.of(), new String[] {"--plugin-path", text.toString()}))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining(text.toString())
        .hasMessageContaining("is not a jar or a directory");
  }

  @Test
  void aMissingGenevaPluginsDirectory_isAnErrorNamingTheVariable() {
    Path missing = dir.resolve("no-plugins");

    assertThatThrownBy(() -> PluginLauncher.pluginJars(Map.of("GENEVA_PLUGINS", missing.toString()), new String[0]))
        .isInstanceOf(PluginException.class)
        .hasMessageStartingWith("GENEVA_PLUGINS entry " + missing + " does not exist");
  }

  @Test
  void pluginPath_isAcceptedByEveryCommand_andListedInItsHelp() {
    Cli.Result r = Cli.run("package", "--help");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("--plugin-path");
  }

  // --- the command in a child JVM ---

  @Test
  void package_withPluginPath_storesThroughThePluginsScheme() throws Exception {
    Child c = geneva(Map.of(), "package", "--storage", storageRoot(), "--plugin-path", pluginJar.toString(),
        "--json");

    assertThat(c.exit()).as(c.err()).isZero();
    JsonNode report = Workspace.JSON.readTree(c.out());
    assertThat(report.get("manifestUri").asText()).startsWith("myscheme://");
    try (Stream<Path> manifests = Files.list(dir.resolve("store").resolve("manifests"))) {
      assertThat(manifests).hasSize(1);
    }
  }

  @Test
  void package_withGenevaPlugins_storesThroughThePluginsScheme() throws Exception {
    Child c = geneva(Map.of("GENEVA_PLUGINS", pluginJar.getParent().toString()),
        "package", "--storage", storageRoot(), "--json");

    assertThat(c.exit()).as(c.err()).isZero();
    assertThat(Workspace.JSON.readTree(c.out()).get("manifestUri").asText()).startsWith("myscheme://");
  }

  @Test
  void package_withoutThePlugin_failsAsBefore_namingTheScheme() throws Exception {
    Child c = geneva(Map.of(), "package", "--storage", storageRoot());

    assertThat(c.exit()).isEqualTo(1);
    // The tests' class path holds two slf4j bindings, about which slf4j warns first; the shaded jar has one.
    assertThat(c.err().lines().filter(l -> !l.startsWith("SLF4J"))).singleElement()
        .asString().startsWith("geneva: no storage provider for scheme \"myscheme\"");
  }

  @Test
  void package_withAMissingPluginPathEntry_isAUsageError() throws Exception {
    Path missing = dir.resolve("missing.jar");

    Child c = geneva(Map.of(), "package", "--storage", storageRoot(), "--plugin-path", missing.toString());

    assertThat(c.exit()).isEqualTo(2);
    assertThat(c.err().strip()).as("reported before any class is loaded for the plugins").isEqualTo("geneva: --plugin-path entry " + missing
        + " does not exist; pass existing plugin jars or directories of jars");
  }

  @Test
  void run_onALocalWorker_readsThePluginsStorage() throws Exception {
    Path classes = TaskFixtures.copyInto(dir.resolve("project").resolve("classes"));

    Child c = geneva(Map.of(), "run", "--storage", storageRoot(), "--plugin-path", pluginJar.toString(),
        "--classpath", classes.toString(), "--project-dir", dir.resolve("project").toString(),
        "--job", TaskFixtures.SQUARE_TASK, "--partitions", "2", "--workers", "1", "--json");

    assertThat(c.exit()).as(c.err()).isZero();
    JsonNode report = Workspace.JSON.readTree(c.out());
    assertThat(report.get("results")).hasSize(2);
    assertThat(report.get("workers").get(0).get("packagesFetched").asInt()).isPositive();
  }

  private record Child(int exit, String out, String err) {}

  private Child geneva(Map<String, String> environment, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        GenevaCommand.class.getName()));
    command.addAll(List.of(args));
    boolean packages = args[0].equals("package");
    if (packages) {
      command.addAll(List.of("--classpath", ws.classpath(), "--project-dir", ws.project.toString()));
    }
    command.addAll(List.of("--home", dir.resolve("home").toString()));
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.remove("GENEVA_PLUGINS");
    env.put("GENEVA_HOME", dir.resolve("home").toString());
    env.putAll(new HashMap<>(environment));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the command finished").isTrue();
    return new Child(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /**
   * A storage plugin for scheme {@code myscheme}: file storage in the URI's path, under its own root
   * URI, compiled against this JVM's class path and registered in META-INF/services.
   */
  static Path buildPlugin(Path work, Path jar) throws IOException {
    Path source = work.resolve("src/myplug/MySchemeProvider.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, """
        package myplug;

        import io.geneva.spi.*;
        import java.io.InputStream;
        import java.net.URI;
        import java.nio.file.Path;
        import java.util.*;

        public final class MySchemeProvider implements StorageProvider {
          @Override public Set<String> schemes() { return Set.of("myscheme"); }

          @Override public Storage create(URI root) {
            Storage files = io.geneva.internal.storage.FileStorage.open(Path.of(root.getPath()));
            return new Storage() {
              @Override public URI root() { return root; }
              @Override public Map<ObjectKey, OptionalLong> findMissing(Map<ObjectKey, Long> sizes) { return files.findMissing(sizes); }
              @Override public void put(ObjectKey key, Content content) { files.put(key, content); }
              @Override public InputStream open(ObjectKey key) { return files.open(key); }
              @Override public Optional<StoredObject> stat(ObjectKey key) { return files.stat(key); }
              @Override public List<StoredObject> list(String prefix) { return files.list(prefix); }
              @Override public void delete(ObjectKey key) { files.delete(key); }
              @Override public void close() { files.close(); }
            };
          }
        }
        """, StandardCharsets.UTF_8);
    Path classes = Files.createDirectories(work.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int status = javac.run(null, null, null, "-proc:none", "-d", classes.toString(),
        "-cp", System.getProperty("java.class.path"), source.toString());
    assertThat(status).as("the plugin compiles").isZero();
    Files.createDirectories(jar.getParent());
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
      out.putNextEntry(new JarEntry("META-INF/services/io.geneva.spi.StorageProvider"));
      out.write((PROVIDER + "\n").getBytes(StandardCharsets.UTF_8));
      try (Stream<Path> files = Files.walk(classes)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
          out.write(Files.readAllBytes(f));
        }
      }
    }
    return jar;
  }
}
