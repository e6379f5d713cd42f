package io.geneva.testfixture;

/**
 * A class whose compiled bytes tests copy into a classpath directory, to check that a packed
 * archive really loads classes. It depends on java.base only.
 */
public final class Greeter {
  /** A greeting. */
  public String greet(String name) {
    return "hello, " + name;
  }
}
