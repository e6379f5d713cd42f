/**
 * {@code geneva bench}: measures the startup pipeline on the benchmark corpus against baselines
 * measured in the same run (reading and hashing every byte in Java, and the Python "Geneva method"),
 * and prints each ratio beside its target.
 */
@NullMarked
package io.geneva.cli.bench;

import org.jspecify.annotations.NullMarked;
