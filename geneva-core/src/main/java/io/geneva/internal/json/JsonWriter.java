package io.geneva.internal.json;

/**
 * A small JSON writer for the documents Geneva writes on every session (the manifest, the startup
 * report): a session's first start should not pay for initialising Jackson, which costs well over a
 * hundred milliseconds in a fresh JVM. Strings are escaped as Jackson escapes them, so compact
 * output with properties in sorted order is byte for byte what Jackson writes with sorted properties.
 * Reading stays with Jackson.
 *
 * <p>Not thread-safe. The caller writes a well-formed document; this class only separates, indents
 * and escapes.
 */
public final class JsonWriter {
  private final StringBuilder out;
  private final boolean pretty;
  private int depth;
  /** Whether the current object or array already has a member (so the next needs a comma). */
  private boolean[] hasMember = new boolean[16];
  private boolean afterName;

  private JsonWriter(boolean pretty, int capacity) {
    this.out = new StringBuilder(capacity);
    this.pretty = pretty;
  }

  /** A writer of compact JSON, without whitespace. */
  public static JsonWriter compact(int capacity) {
    return new JsonWriter(false, capacity);
  }

  /** A writer of indented JSON, for people. */
  public static JsonWriter indented(int capacity) {
    return new JsonWriter(true, capacity);
  }

  /** Opens an object. */
  public JsonWriter beginObject() {
    return open('{');
  }

  /** Closes an object. */
  public JsonWriter endObject() {
    return close('}');
  }

  /** Opens an array. */
  public JsonWriter beginArray() {
    return open('[');
  }

  /** Closes an array. */
  public JsonWriter endArray() {
    return close(']');
  }

  /** Writes a member name; the value follows. */
  public JsonWriter name(String name) {
    separate();
    string(name);
    out.append(pretty ? " : " : ":");
    afterName = true;
    return this;
  }

  /** Writes a string value. */
  public JsonWriter value(String value) {
    separate();
    string(value);
    return this;
  }

  /** Writes a number value. */
  public JsonWriter value(long value) {
    separate();
    out.append(value);
    return this;
  }

  /** Writes a boolean value. */
  public JsonWriter value(boolean value) {
    separate();
    out.append(value);
    return this;
  }

  /** The document. */
  @Override
  public String toString() {
    return out.toString();
  }

  private JsonWriter open(char c) {
    separate();
    out.append(c);
    depth++;
    if (depth == hasMember.length) {
      hasMember = java.util.Arrays.copyOf(hasMember, depth * 2);
    }
    hasMember[depth] = false;
    return this;
  }

  private JsonWriter close(char c) {
    boolean empty = !hasMember[depth];
    depth--;
    if (pretty && !empty) {
      newline();
    }
    out.append(c);
    return this;
  }

  private void separate() {
    if (afterName) {
      afterName = false;
      return;
    }
    if (depth > 0) {
      if (hasMember[depth]) {
        out.append(',');
      }
      hasMember[depth] = true;
      if (pretty) {
        newline();
      }
    }
  }

  private void newline() {
    out.append('\n');
    for (int i = 0; i < depth; i++) {
      out.append("  ");
    }
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04X", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
