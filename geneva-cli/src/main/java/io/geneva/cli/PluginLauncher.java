package io.geneva.cli;

import io.geneva.internal.io.IoProblems;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Puts plugin jars on the {@code geneva} command's class path before any of Geneva is loaded, since
 * {@code java -jar} ignores {@code -cp} and {@code CLASSPATH}. The jars come from the plugins
 * directory ({@value #ENVIRONMENT_VARIABLE}, default {@code <Geneva home>/plugins}) and from
 * {@value #OPTION} (a path list of jars and directories of jars). With any plugin jar, the command
 * runs in a new class loader that holds this JVM's class path and then the plugin jars, so the
 * {@code ServiceLoader} look-ups that pick storage providers and cluster provisioners find the
 * plugins' providers the same way as those on the class path: same selection, same errors. Local
 * workers get the plugin jars on their class path too (the system property {@value
 * #WORKER_PROPERTY}, read by the local cluster).
 *
 * <p>Not thread-safe; used once, from {@code main}.
 */
final class PluginLauncher {
  static final String ENVIRONMENT_VARIABLE = "GENEVA_PLUGINS";
  static final String OPTION = "--plugin-path";
  /** The plugin jars, as a path list, for the class path of local worker JVMs. */
  static final String WORKER_PROPERTY = "geneva.plugin.classpath";

  private PluginLauncher() {}

  /** A plugin location that cannot be used; the message names it, what is wrong and the fix. */
  static final class PluginException extends Exception {
    PluginException(String message) {
      super(message);
    }
  }

  /**
   * Runs the command with the plugin jars found for these arguments and this environment, and returns
   * its exit code.
   */
  static int launch(
      PrintStream out, PrintStream err, Map<String, String> environment, boolean terminal, String[] args) {
    List<Path> jars;
    try {
      jars = pluginJars(environment, args);
    } catch (PluginException e) {
      err.println("geneva: " + e.getMessage());
      return 2;
    }
    if (jars.isEmpty()) {
      return GenevaCommand.execute(out, err, terminal, args);
    }
    return runWithPlugins(out, err, jars, terminal, args);
  }

  /**
   * The plugin jars: those of {@value #ENVIRONMENT_VARIABLE} (or of {@code <home>/plugins} when it
   * exists), then those of every {@value #OPTION}, each once, in that order; a directory gives its
   * {@code *.jar} files sorted by name.
   */
  static List<Path> pluginJars(Map<String, String> environment, String[] args) throws PluginException {
    Set<Path> jars = new LinkedHashSet<>();
    String fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      addAll(jars, fromEnvironment, ENVIRONMENT_VARIABLE);
    } else {
      Path defaultDirectory = home(environment, args).resolve("plugins");
      if (Files.isDirectory(defaultDirectory)) {
        addAll(jars, defaultDirectory.toString(), "the plugins directory");
      }
    }
    for (String pathList : optionValues(args, OPTION)) {
      addAll(jars, pathList, OPTION);
    }
    return List.copyOf(jars);
  }

  private static void addAll(Set<Path> jars, String pathList, String origin) throws PluginException {
    if (pathList.isBlank()) {
      throw new PluginException(origin + " is empty; pass plugin jars or directories of jars, separated by '"
          + File.pathSeparator + "'");
    }
    for (String element : pathList.split(Pattern.quote(File.pathSeparator))) {
      if (element.isBlank()) {
        continue;
      }
      Path path = Path.of(element).toAbsolutePath().normalize();
      if (Files.isDirectory(path)) {
        try (Stream<Path> children = Files.list(path)) {
          children.filter(PluginLauncher::isJar).filter(Files::isRegularFile).sorted().forEach(jars::add);
        } catch (IOException e) {
          throw new PluginException(origin + " directory " + path + " cannot be listed ("
              + IoProblems.describe(e) + "); make it readable or remove it");
        }
      } else if (!Files.exists(path)) {
        throw new PluginException(origin + " entry " + path + " does not exist; pass existing plugin jars or"
            + " directories of jars");
      } else if (!isJar(path)) {
        throw new PluginException(origin + " entry " + path + " is not a jar or a directory; pass plugin jars"
            + " (*.jar) or directories that hold them");
      } else {
        jars.add(path);
      }
    }
  }

  private static boolean isJar(Path path) {
    return path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar");
  }

  /** {@code --home}'s value if given, else {@code GENEVA_HOME}, else {@code ~/.geneva}. */
  private static Path home(Map<String, String> environment, String[] args) {
    List<String> homes = optionValues(args, "--home");
    if (!homes.isEmpty()) {
      return Path.of(homes.get(homes.size() - 1));
    }
    String fromEnvironment = environment.get("GENEVA_HOME");
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return Path.of(fromEnvironment);
    }
    return Path.of(System.getProperty("user.home"), ".geneva");
  }

  /**
   * The values of an option in picocli's two spellings ({@code --x v} and {@code --x=v}), up to a
   * {@code --} that ends the options. A missing value is left for picocli to report.
   */
  static List<String> optionValues(String[] args, String name) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        break;
      }
      if (a.equals(name) && i + 1 < args.length) {
        values.add(args[++i]);
      } else if (a.startsWith(name + "=")) {
        values.add(a.substring(name.length() + 1));
      }
    }
    return values;
  }

  /**
   * Runs {@link GenevaCommand#execute(PrintStream, PrintStream, boolean, String...)} as loaded by a class
   * loader of this JVM's class path and the plugin jars, whose parent is the platform class loader,
   * so every Geneva class (and the providers it looks up) comes from the new loader.
   */
  private static int runWithPlugins(
      PrintStream out, PrintStream err, List<Path> jars, boolean terminal, String[] args) {
    List<URL> urls = new ArrayList<>();
    try {
      for (String entry : System.getProperty("java.class.path", "").split(Pattern.quote(File.pathSeparator))) {
        if (!entry.isEmpty()) {
          urls.add(Path.of(entry).toAbsolutePath().toUri().toURL());
        }
      }
      for (Path jar : jars) {
        urls.add(jar.toUri().toURL());
      }
    } catch (MalformedURLException e) {
      throw new IllegalStateException("a class path entry has no URL: " + e.getMessage(), e);
    }
    System.setProperty(WORKER_PROPERTY, String.join(File.pathSeparator, jars.stream().map(Path::toString).toList()));
    // Not closed: the command's classes, and the threads it leaves to exit with the JVM, use it.
    URLClassLoader loader = new URLClassLoader("geneva-plugins", urls.toArray(URL[]::new),
        ClassLoader.getPlatformClassLoader());
    Thread.currentThread().setContextClassLoader(loader);
    try {
      Class<?> command = Class.forName(GenevaCommand.class.getName(), true, loader);
      Method execute =
          command.getMethod("execute", PrintStream.class, PrintStream.class, boolean.class, String[].class);
      return (Integer) execute.invoke(null, out, err, terminal, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error r) {
        throw r;
      }
      throw new IllegalStateException(cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot start the geneva command with plugins " + jars + ": " + e, e);
    }
  }
}
