package io.geneva.cli.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which daemon may run a client's command: one per geneva.jar (path, size, mtime), java (home and
 * runtime version), JVM options, working directory and environment. The daemon is started with the
 * client's working directory and environment, so relative paths and settings read from the
 * environment (credentials, {@code GENEVA_HOME}, {@code KUBECONFIG}...) mean in the daemon what they
 * mean in the client. The key is a SHA-256 over all of it; no value is ever written anywhere.
 *
 * <p>The environment variables that shells change on their own and Geneva never reads ({@link
 * #VOLATILE}) are left out, so that they do not start a daemon each.
 */
final class DaemonKey {
  /** Set by shells per command or per level ({@code _}, {@code SHLVL}, {@code OLDPWD}), or the daemon switch itself. */
  static final Set<String> VOLATILE = Set.of("_", "SHLVL", "OLDPWD", "GENEVA_DAEMON");

  /**
   * How many hex digits of the key name a daemon's files: 64 bits, short because a Unix socket's path
   * holds at most {@value DaemonClient#MAX_SOCKET_PATH} bytes.
   */
  static final int NAME_LENGTH = 16;

  private final String hex;
  private final String environmentHex;

  private DaemonKey(String hex, String environmentHex) {
    this.hex = hex;
    this.environmentHex = environmentHex;
  }

  /** The full key, 64 hex digits. */
  String hex() {
    return hex;
  }

  /** The name of this key's files in the daemon directory. */
  String name() {
    return hex.substring(0, NAME_LENGTH);
  }

  /** A digest of the environment alone, for {@code geneva daemon status} (values are never shown). */
  String environmentHex() {
    return environmentHex;
  }

  /**
   * The key of a client run.
   *
   * @param jar geneva.jar
   * @param javaHome the JDK that runs the client and would run the daemon
   * @param javaVersion its {@code java.runtime.version}
   * @param jvmOptions the daemon's JVM options, in order
   * @param workingDirectory the client's working directory
   * @param environment the client's environment
   * @throws IOException if the jar cannot be read
   */
  static DaemonKey compute(Path jar, String javaHome, String javaVersion, String[] jvmOptions, String workingDirectory,
      Map<String, String> environment) throws IOException {
    BasicFileAttributes a = Files.readAttributes(jar, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    Sha256 all = new Sha256();
    update(all, "geneva-daemon-key");
    update(all, Integer.toString(Protocol.VERSION));
    update(all, jar.toAbsolutePath().toString());
    update(all, Long.toString(a.size()));
    update(all, Long.toString(a.lastModifiedTime().toMillis()));
    update(all, javaHome);
    update(all, javaVersion);
    update(all, Integer.toString(jvmOptions.length));
    for (String option : jvmOptions) {
      update(all, option);
    }
    update(all, workingDirectory);
    Sha256 env = new Sha256();
    Iterator<Map.Entry<String, String>> entries = new TreeMap<>(environment).entrySet().iterator();
    while (entries.hasNext()) {
      Map.Entry<String, String> e = entries.next();
      if (!VOLATILE.contains(e.getKey())) {
        update(env, e.getKey());
        update(env, e.getValue());
      }
    }
    byte[] envDigest = env.digest();
    all.update(envDigest);
    return new DaemonKey(hex(all.digest()), hex(envDigest));
  }

  /** A field and a separator no field holds (environment values hold no NUL), so fields cannot run into each other. */
  private static void update(Sha256 digest, String field) {
    digest.update(field.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
  }

  static String hex(byte[] bytes) {
    char[] digits = "0123456789abcdef".toCharArray();
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = digits[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = digits[bytes[i] & 0xf];
    }
    return new String(out);
  }
}
