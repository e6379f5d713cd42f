package io.geneva.cli.daemon;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code <Geneva home>/daemon}: the daemons' sockets, locks and logs. Only its owner may use it: it is
 * created with mode 700 and tightened to 700 when it is ours; one that is a symbolic link, that
 * belongs to another user or that others may write is refused, since whoever can write it could put
 * a socket there that answers in the daemon's place.
 */
final class DaemonDirectory {
  private DaemonDirectory() {}

  /**
   * {@code GENEVA_DAEMON_DIR} if set (the bench gives each scenario its own), else {@code daemon} in
   * {@code GENEVA_HOME}, else in {@code ~/.geneva}.
   */
  static Path of(Map<String, String> environment) {
    String own = environment.get("GENEVA_DAEMON_DIR");
    if (own != null && !own.isBlank()) {
      return Path.of(own).toAbsolutePath();
    }
    String home = environment.get("GENEVA_HOME");
    Path base = home == null || home.isBlank()
        ? Path.of(System.getProperty("user.home"), ".geneva")
        : Path.of(home);
    return base.toAbsolutePath().resolve("daemon");
  }

  /**
   * Creates the directory if needed and checks that only its owner, this user, can use it.
   *
   * @throws IOException with a message that names the directory, what is wrong and the fix
   */
  static Path prepare(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(dir.getParent());
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE)));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // Another first run made it: checked below like any.
      }
    }
    check(dir);
    return dir;
  }

  /** Refuses a directory that is a link, not ours, or writable by others; makes one of ours mode 700. */
  static void check(Path dir) throws IOException {
    if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(dir.toString().concat(" is not a directory (or is a symbolic link); remove it"));
    }
    UserPrincipal owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
    UserPrincipal me = FileSystems.getDefault().getUserPrincipalLookupService()
        .lookupPrincipalByName(System.getProperty("user.name"));
    if (!owner.equals(me)) {
      throw new IOException(dir.toString().concat(" belongs to ").concat(owner.getName())
          .concat(", not to you; remove it, or set GENEVA_HOME to a directory of yours"));
    }
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
    if (mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new IOException(dir.toString().concat(" may be written by other users; run chmod 700 on it"));
    }
    Set<PosixFilePermission> ownerOnly = EnumSet.of(
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    if (!mode.equals(ownerOnly)) {
      Files.setPosixFilePermissions(dir, ownerOnly);
    }
  }
}
