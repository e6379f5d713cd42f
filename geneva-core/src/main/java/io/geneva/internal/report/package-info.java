/**
 * The startup report: assembled from the stages' results after a start ({@link
 * io.geneva.internal.report.StartupReports}), and the report history that {@code explain} reads.
 */
@NullMarked
package io.geneva.internal.report;

import org.jspecify.annotations.NullMarked;
