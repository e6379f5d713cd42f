package io.geneva.k8s;

import java.util.Objects;

/**
 * The token a cluster's Ray dashboard asks for, with where it came from. Only {@link
 * #authorization()} gives the token, for the request header; {@link #toString()}, and every message
 * Geneva writes about it, name its source only. Immutable and thread-safe.
 */
final class DashboardToken {
  private final String value;
  private final String source;
  private final String ifRefused;

  /**
   * @param value the token
   * @param source where it came from, for messages ({@code Secret "dev" (key auth_token) in namespace "ml"})
   * @param ifRefused what to check when the head refuses it
   */
  DashboardToken(String value, String source, String ifRefused) {
    this.value = Objects.requireNonNull(value, "value");
    this.source = Objects.requireNonNull(source, "source");
    this.ifRefused = Objects.requireNonNull(ifRefused, "ifRefused");
  }

  /** The value of the {@code Authorization} header: {@code Bearer <token>}. */
  String authorization() {
    return "Bearer " + value;
  }

  /** Where the token came from. */
  String source() {
    return source;
  }

  /** What to check when the head refuses the token. */
  String ifRefused() {
    return ifRefused;
  }

  /** The text with every occurrence of the token replaced, for text that came from elsewhere. */
  String redact(String text) {
    return value.isEmpty() ? text : text.replace(value, "<token>");
  }

  @Override
  public String toString() {
    return "DashboardToken[from " + source + "]";
  }
}
