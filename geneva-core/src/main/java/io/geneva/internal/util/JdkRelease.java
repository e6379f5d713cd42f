package io.geneva.internal.util;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What a JDK's {@code release} file says about it: runtime version, implementor, OS and architecture.
 * It names the JDK a {@code java} executable belongs to without starting it (a class-data cache is
 * valid for one JDK build only), for the local cluster and the workers bench alike.
 *
 * @param version {@code JAVA_RUNTIME_VERSION}, or {@code JAVA_VERSION} where that is missing, such as
 *     {@code 25.0.3+9-LTS}; empty if the file names neither
 * @param implementor {@code IMPLEMENTOR}, or {@code unknown}
 * @param osName {@code OS_NAME}, or {@code unknown}
 * @param osArch {@code OS_ARCH}, or {@code unknown}
 */
public record JdkRelease(String version, String implementor, String osName, String osArch) {
  /**
   * Where the {@code release} file of a {@code java} executable is: {@code <home>/release} beside
   * {@code <home>/bin/java}, symbolic links followed (as {@code /usr/bin/java} usually is one).
   *
   * @throws IOException if the executable cannot be resolved (it does not exist, a link is broken)
   */
  public static Path releaseFileOf(Path java) throws IOException {
    Path real = java.toAbsolutePath().normalize().toRealPath();
    Path bin = real.getParent();
    return bin == null || bin.getParent() == null ? real.resolveSibling("release") : bin.getParent().resolve("release");
  }

  /**
   * Reads a {@code release} file.
   *
   * @throws IOException if it cannot be read, or is not in the properties format a JDK writes
   */
  public static JdkRelease read(Path releaseFile) throws IOException {
    String text = Files.readString(releaseFile, StandardCharsets.UTF_8);
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw new IOException(releaseFile + " is not a JDK release file: " + e.getMessage(), e);
    }
  }

  /**
   * Parses the text of a {@code release} file ({@code KEY="value"} lines).
   *
   * @throws IllegalArgumentException if it is not in the properties format (a malformed escape)
   */
  public static JdkRelease parse(String text) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(text));
    } catch (IOException e) {
      throw new IllegalStateException("reading a string failed", e);
    }
    return new JdkRelease(unquote(p.getProperty("JAVA_RUNTIME_VERSION", p.getProperty("JAVA_VERSION", ""))),
        unquote(p.getProperty("IMPLEMENTOR", "unknown")), unquote(p.getProperty("OS_NAME", "unknown")),
        unquote(p.getProperty("OS_ARCH", "unknown")));
  }

  /** A value without the double quotes the release file puts around it. */
  static String unquote(String s) {
    String t = s.strip();
    return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
  }

  /** The feature release of a version: 17 for {@code 17.0.17+10}, 25 for {@code 25.0.1+8-LTS}; 0 if unreadable. */
  public static int feature(String version) {
    String digits = version.replaceAll("^(\\d+).*$", "$1");
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The feature release of this JDK, 0 if its version is unreadable. */
  public int feature() {
    return feature(version);
  }
}
