/**
 * A Spark driver that opens a Geneva session and runs a Geneva job from its own code: {@link
 * io.geneva.examples.spark.SparkDriverExample}.
 */
@NullMarked
package io.geneva.examples.spark;

import org.jspecify.annotations.NullMarked;
