/** Reporting: the startup report's history for explain, and I/O failures described in words. */
@NullMarked
package io.geneva.internal.report;

import org.jspecify.annotations.NullMarked;
