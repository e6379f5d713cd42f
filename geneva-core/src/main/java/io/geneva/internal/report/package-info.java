/** Reporting: the startup report's history for explain, and the console progress bar. */
@NullMarked
package io.geneva.internal.report;

import org.jspecify.annotations.NullMarked;
