/**
 * A Flink job client that runs a Flink job and then a Geneva job from its own code: {@link
 * io.geneva.examples.flink.FlinkClientExample}.
 */
@NullMarked
package io.geneva.examples.flink;

import org.jspecify.annotations.NullMarked;
