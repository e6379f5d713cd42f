/**
 * A session: its settings, the startup pipeline that runs the stages in order (each takes the one
 * before's result and returns its own), the cluster it uses, and the open session that runs warmups
 * and jobs. The API's one door into internal code: {@code GenevaSession.Builder.open()} lands here.
 */
@NullMarked
package io.geneva.internal.session;

import org.jspecify.annotations.NullMarked;
