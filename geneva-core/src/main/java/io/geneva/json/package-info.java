/** Writing the JSON documents Geneva produces on every session, without Jackson's start-up cost. */
@NullMarked
package io.geneva.json;

import org.jspecify.annotations.NullMarked;
