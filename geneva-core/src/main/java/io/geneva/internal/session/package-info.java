/** The startup pipeline that runs the stages in order and reports on them. */
@NullMarked
package io.geneva.internal.session;

import org.jspecify.annotations.NullMarked;
