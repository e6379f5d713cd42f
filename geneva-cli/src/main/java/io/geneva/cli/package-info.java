/**
 * The {@code geneva} command line: {@link io.geneva.cli.GenevaCommand} and its subcommands {@code
 * package}, {@code run}, {@code inspect}, {@code explain}, {@code gc}, {@code cluster} (render, up,
 * status and down of a KubeRay cluster spec file) and {@code bench}, and {@link
 * io.geneva.cli.ConsoleProgress}, the terminal progress bar.
 */
package io.geneva.cli;
