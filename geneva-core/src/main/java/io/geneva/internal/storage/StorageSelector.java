package io.geneva.internal.storage;

import io.geneva.ConfigurationException;
import io.geneva.spi.Storage;
import io.geneva.spi.StorageProvider;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Picks the {@link StorageProvider} for a root URI's scheme among those {@link ServiceLoader} finds.
 * It refuses to guess: two providers for one scheme at equal priority is an error naming both.
 */
public final class StorageSelector {
  private static final Map<String, String> MODULE_HINTS =
      Map.of("s3", "io.geneva:geneva-storage", "s3a", "io.geneva:geneva-storage");

  private StorageSelector() {}

  /** Creates a storage for the root with the provider found on this class loader. */
  public static Storage open(URI root) {
    return select(root, load(StorageSelector.class.getClassLoader())).create(root);
  }

  static List<StorageProvider> load(ClassLoader loader) {
    List<StorageProvider> providers = new ArrayList<>();
    try {
      for (StorageProvider p : ServiceLoader.load(StorageProvider.class, loader)) {
        providers.add(p);
      }
    } catch (ServiceConfigurationError e) {
      throw new ConfigurationException(
          "a storage provider on the classpath cannot be loaded: " + e.getMessage()
              + "; fix or remove its META-INF/services/io.geneva.spi.StorageProvider entry",
          e);
    }
    return providers;
  }

  /** The root as it may be printed: a user part (which may hold a secret) is left out. */
  static String withoutUserInfo(URI root) {
    if (root.getRawUserInfo() == null) {
      return root.toString();
    }
    return root.getScheme() + "://" + root.getHost() + (root.getPort() == -1 ? "" : ":" + root.getPort())
        + (root.getRawPath() == null ? "" : root.getRawPath());
  }

  /** The provider for the root's scheme. */
  public static StorageProvider select(URI root, List<StorageProvider> providers) {
    String scheme = root.getScheme() == null ? "" : root.getScheme().toLowerCase(Locale.ROOT);
    StorageProvider best = null;
    StorageProvider tie = null;
    TreeSet<String> known = new TreeSet<>();
    for (StorageProvider p : providers) {
      known.addAll(p.schemes());
      if (!p.schemes().contains(scheme)) {
        continue;
      }
      if (best == null || p.priority() > best.priority()) {
        best = p;
        tie = null;
      } else if (p.priority() == best.priority()) {
        tie = p;
      }
    }
    if (best == null) {
      String hint = MODULE_HINTS.containsKey(scheme)
          ? "; add " + MODULE_HINTS.get(scheme) + " to the classpath"
          : "; add a module that provides it, or use one of the known schemes";
      throw new ConfigurationException(
          "no storage provider for scheme \"" + scheme + "\" (storage root " + withoutUserInfo(root) + "); known schemes: "
              + String.join(", ", known) + hint);
    }
    if (tie != null) {
      throw new ConfigurationException(
          "two storage providers serve scheme \"" + scheme + "\" at priority " + best.priority() + ": "
              + best.getClass().getName() + " and " + tie.getClass().getName()
              + "; remove one from the classpath, give one a higher priority(), or pass a Storage"
              + " instance to the session builder");
    }
    return best;
  }
}
