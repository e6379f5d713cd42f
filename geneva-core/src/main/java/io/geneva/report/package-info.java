/** Reporting: the startup report's history for explain, and the console progress bar. */
@NullMarked
package io.geneva.report;

import org.jspecify.annotations.NullMarked;
