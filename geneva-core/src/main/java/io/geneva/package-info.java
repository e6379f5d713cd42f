/**
 * Geneva's public API: {@link io.geneva.Geneva} to start, {@link io.geneva.GenevaSession} to hold a
 * session, and the values a session reports ({@link io.geneva.Manifest}, {@link
 * io.geneva.StartupReport}). Everything outside {@code io.geneva} and {@code io.geneva.spi} is
 * implementation and may change.
 */
@NullMarked
package io.geneva;

import org.jspecify.annotations.NullMarked;
