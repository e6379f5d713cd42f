/** The startup's phases: progress events for listeners and wall times for the report. */
package io.geneva.internal.progress;
