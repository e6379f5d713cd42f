/**
 * The Geneva daemon behind {@code bin/geneva}: {@link io.geneva.cli.daemon.DaemonClient}, the thin
 * client each command starts (JDK classes only, packed alone into {@code geneva-client.jar}), and
 * {@link io.geneva.cli.daemon.DaemonMain}, the long-lived JVM that runs the commands of one user,
 * jar, java, working directory and environment over a Unix domain socket. See the README, "The
 * Geneva daemon".
 */
@NullMarked
package io.geneva.cli.daemon;

import org.jspecify.annotations.NullMarked;
