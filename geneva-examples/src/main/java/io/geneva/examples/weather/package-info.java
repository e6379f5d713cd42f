/**
 * The quick start's job: minimum, mean and maximum temperature per weather station over a CSV data
 * set shipped on the classpath, computed over partitions on a cluster's workers and merged.
 */
@NullMarked
package io.geneva.examples.weather;

import org.jspecify.annotations.NullMarked;
