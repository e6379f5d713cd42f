/**
 * Local file mechanics shared by every stage: atomic replacement of a file, files and directories
 * that are owner-only whatever the process's umask, staging directories, the one seam through which
 * file content is read ({@link io.geneva.internal.io.FileOpener}), and I/O failures described in
 * words ({@link io.geneva.internal.io.IoProblems}). Depends on nothing else of Geneva.
 */
@NullMarked
package io.geneva.internal.io;

import org.jspecify.annotations.NullMarked;
