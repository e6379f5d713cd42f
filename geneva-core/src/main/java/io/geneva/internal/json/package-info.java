/** Writing the JSON documents Geneva produces on every session, without Jackson's start-up cost. */
@NullMarked
package io.geneva.internal.json;

import org.jspecify.annotations.NullMarked;
