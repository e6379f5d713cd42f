package io.geneva;

/**
 * How a local worker JVM is started for a manifest ({@link LocalCluster#warmStart(WarmStart)}).
 *
 * <p>The JDK can keep loaded and linked classes in a cache file (JDK 25's AOT cache, JEP 483/514/515;
 * the dynamic class-data archive of JDK 13 to 24), but only for classes on the JVM's class path. With
 * warm start on, a worker's class path is the manifest's jars in the node cache, in manifest order,
 * rather than a class loader inside a generic worker; such workers serve that one manifest, and
 * retained ones are reused by every later session with the same manifest.
 */
public enum WarmStart {
  /** Generic workers, started before the manifest is known, that load each manifest in a class loader. */
  OFF,
  /** Workers whose class path is the manifest's jars, without a class-data cache. */
  CLASS_PATH,
  /**
   * Workers whose class path is the manifest's jars, with a class-data cache per manifest and JDK:
   * trained by the first worker that runs the manifest, stored beside the manifest, fetched through
   * the node cache and verified by digest, and used by every later worker on a matching JDK.
   */
  CLASS_DATA_CACHE
}
