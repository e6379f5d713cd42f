package io.geneva.internal.worker;

/**
 * The parent of a manifest's class loader: the JDK's classes, plus Geneva's API package ({@code
 * io.geneva}, not its subpackages) from Geneva's own loader, so a task and its worker agree on {@link
 * io.geneva.Task} while the task's own libraries (another Jackson, another slf4j) never meet the
 * runtime's.
 */
final class ApiClassLoader extends ClassLoader {
  private static final String API_PACKAGE = "io.geneva.";

  static {
    registerAsParallelCapable();
  }

  private final ClassLoader geneva;

  ApiClassLoader(ClassLoader geneva) {
    super("geneva-api", ClassLoader.getPlatformClassLoader());
    this.geneva = geneva;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (name.startsWith(API_PACKAGE) && name.indexOf('.', API_PACKAGE.length()) < 0) {
      return geneva.loadClass(name);
    }
    return super.loadClass(name, resolve);
  }
}
