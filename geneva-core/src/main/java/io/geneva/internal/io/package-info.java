/**
 * Local file mechanics shared by every stage: atomic replacement of a file, and files and directories
 * that are owner-only whatever the process's umask.
 */
@NullMarked
package io.geneva.internal.io;

import org.jspecify.annotations.NullMarked;
