package io.geneva;

import static io.geneva.Sandbox.bySource;
import static io.geneva.Sandbox.bySourcePrefix;
import static org.assertj.core.api.Assertions.assertThat;

import io.geneva.internal.manifest.ManifestCodec;
import io.geneva.internal.storage.FileStorage;
import io.geneva.spi.ObjectKey;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipMethod;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What gets packed and how: jars as they are, directories as deterministic jars, the manifest. */
class PackagingTest {
  private static final LocalDateTime FIXED_ARCHIVE_TIME = LocalDateTime.of(1980, 2, 1, 0, 0);

  @TempDir Path tempDir;

  private Sandbox sandbox;

  @BeforeEach
  void layout() {
    sandbox = new Sandbox(tempDir);
  }

  /** Entry names of a stored archive, in archive order. */
  private static List<String> entryNames(Path archive) throws IOException {
    return Archives.names(archive);
  }

  /** Every file (not directory) entry of all of a directory's shards. */
  private List<String> packedFiles(StartupReport report, String directoryName) throws IOException {
    List<String> out = new ArrayList<>();
    for (PackageReport p : bySourcePrefix(report, directoryName + "#")) {
      entryNames(sandbox.stored(p)).stream().filter(n -> !n.endsWith("/")).forEach(out::add);
    }
    out.sort(null);
    return out;
  }

  private static byte[] greeterClassBytes() throws IOException {
    try (InputStream in = PackagingTest.class.getResourceAsStream("/io/geneva/testfixture/Greeter.class")) {
      assertThat(in).as("the compiled Greeter fixture").isNotNull();
      return in.readAllBytes();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Jars
  // ---------------------------------------------------------------------------------------------

  @Test
  void dependencyJar_isShippedAsIs_storedObjectEqualsTheJarBytes() {
    Path jar = sandbox.dependencyJar("guava-like", 11);

    StartupReport report = sandbox.run(jar);

    PackageReport p = bySource(report, jar.getFileName().toString()).orElseThrow();
    assertThat(p.kind()).isEqualTo(EntryKind.DEPENDENCY);
    assertThat(p.digest()).isEqualTo(FixtureFiles.sha256(jar));
    assertThat(p.size()).isEqualTo(FixtureFiles.read(jar).length);
    assertThat(sandbox.stored(p)).hasBinaryContent(FixtureFiles.read(jar));
    assertThat(report.bytesPacked()).as("nothing is re-zipped").isZero();
    assertThat(jar).as("the source jar stays where it is").exists();
  }

  @Test
  void sameJarUnderTwoNames_isStoredOnce() {
    Path jar = sandbox.dependencyJar("twin", 12);
    Path copy = sandbox.root.resolve("libs/twin-copy.jar");
    FixtureFiles.write(copy, FixtureFiles.read(jar));

    StartupReport report = sandbox.run(jar, copy);

    assertThat(report.packages()).hasSize(2);
    assertThat(report.packages().get(0).digest()).isEqualTo(report.packages().get(1).digest());
    assertThat(report.packagesUploaded()).isEqualTo(1);
    assertThat(sandbox.stored(report.packages().get(0))).hasBinaryContent(FixtureFiles.read(jar));
  }

  // ---------------------------------------------------------------------------------------------
  // Directory archives
  // ---------------------------------------------------------------------------------------------

  @Test
  void twoDirectoriesWithTheSameLayoutAndOtherContent_eachStoreTheirOwnArchive_underItsDigest()
      throws IOException {
    // Same paths and sizes, other bytes: before their digests are known (a cold start hashes while
    // it packs) their shards look alike, and must still be built and stored as two archives.
    Path first = sandbox.project.resolve("m0");
    Path second = sandbox.project.resolve("m1");
    for (int i = 0; i < 3; i++) {
      FixtureFiles.write(first.resolve("pkg/F" + i + ".properties"), "shared=" + i + "\n");
      FixtureFiles.write(second.resolve("pkg/F" + i + ".properties"), "shared=" + i + "\n");
    }
    FixtureFiles.write(first.resolve("module.properties"), "module m0\n");
    FixtureFiles.write(second.resolve("module.properties"), "module m1\n");

    StartupReport report = sandbox.run(first, second);

    PackageReport a = bySourcePrefix(report, "m0#").get(0);
    PackageReport b = bySourcePrefix(report, "m1#").get(0);
    assertThat(a.digest()).isNotEqualTo(b.digest());
    for (PackageReport p : List.of(a, b)) {
      assertThat(FixtureFiles.sha256(sandbox.stored(p))).as("stored bytes of %s", p.source()).isEqualTo(p.digest());
    }
    try (ZipFile zip = Archives.open(sandbox.stored(b))) {
      assertThat(new String(zip.getInputStream(zip.getEntry("module.properties")).readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("module m1\n");
    }
  }

  @Test
  void directoryArchive_isAValidJar_thatLoadsClassesAndResources() throws Exception {
    Path classes = sandbox.project.resolve("target/classes");
    FixtureFiles.write(classes.resolve("io/geneva/testfixture/Greeter.class"), greeterClassBytes());
    FixtureFiles.write(classes.resolve("app.properties"), "greeting=hello from the archive\n");

    StartupReport report = sandbox.run(classes);

    PackageReport shard = bySourcePrefix(report, "classes#").get(0);
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {sandbox.stored(shard).toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      Class<?> greeter = loader.loadClass("io.geneva.testfixture.Greeter");
      assertThat(greeter.getClassLoader()).isSameAs(loader);
      Object instance = greeter.getConstructor().newInstance();
      assertThat(greeter.getMethod("greet", String.class).invoke(instance, "cluster")).isEqualTo("hello, cluster");

      Properties props = new Properties();
      try (InputStream in = loader.getResourceAsStream("app.properties")) {
        assertThat(in).isNotNull();
        props.load(in);
      }
      assertThat(props.getProperty("greeting")).isEqualTo("hello from the archive");
    }
  }

  @Test
  void directoryArchive_hasSortedEntries_fixedTimestamps_noExtraFields_andParentDirectoriesFirst() throws IOException {
    Path dir = sandbox.project.resolve("out");
    FixtureFiles.write(dir.resolve("z.txt"), "last");
    FixtureFiles.write(dir.resolve("a/b/c.txt"), "deep");
    FixtureFiles.write(dir.resolve("a-b/x.txt"), "dash");
    FixtureFiles.write(dir.resolve("a.txt"), "dot");
    FixtureFiles.write(dir.resolve("images/logo.png"), FixtureFiles.randomBytes(5, 2000));
    FixtureFiles.write(dir.resolve("M.class"), "class bytes ".repeat(50));

    StartupReport report = sandbox.run(dir);

    PackageReport shard = bySourcePrefix(report, "out#").get(0);
    List<String> names = entryNames(sandbox.stored(shard));
    List<String> files = names.stream().filter(n -> !n.endsWith("/")).toList();
    assertThat(files).isSorted().containsExactlyInAnyOrder("z.txt", "a/b/c.txt", "a-b/x.txt", "a.txt", "images/logo.png", "M.class");
    for (String file : files) {
      for (int slash = file.indexOf('/'); slash >= 0; slash = file.indexOf('/', slash + 1)) {
        String parent = file.substring(0, slash + 1);
        assertThat(names).contains(parent);
        assertThat(names.indexOf(parent)).as("%s before %s", parent, file).isLessThan(names.indexOf(file));
      }
    }
    try (ZipFile zip = Archives.open(sandbox.stored(shard))) {
      for (ZipArchiveEntry e : Collections.list(zip.getEntries())) {
        assertThat(LocalDateTime.ofInstant(Instant.ofEpochMilli(e.getTime()), ZoneId.systemDefault()))
            .as("time of %s", e.getName()).isEqualTo(FIXED_ARCHIVE_TIME);
        assertThat(e.getExtraFields(true)).as("extra fields of %s", e.getName()).isEmpty();
        assertThat(e.getLocalFileDataExtra()).as("local extra of %s", e.getName()).isEmpty();
        assertThat(e.getCentralDirectoryExtra()).as("central extra of %s", e.getName()).isEmpty();
        assertThat(e.getExternalAttributes()).as("permissions of %s", e.getName()).isZero();
      }
      assertThat(zip.getEntry("images/logo.png").getMethod()).as("already compressed: stored").isEqualTo(ZipMethod.STORED.getCode());
      assertThat(zip.getEntry("M.class").getMethod()).isEqualTo(ZipMethod.DEFLATED.getCode());
    }
    assertThat(new String(Archives.entry(sandbox.stored(shard), "a/b/c.txt"), StandardCharsets.UTF_8)).isEqualTo("deep");
  }

  @Test
  void directoryArchive_isByteIdentical_whenBuiltAgainWithAFreshHomeIntoAnotherStore() throws IOException {
    Path classes = sandbox.project.resolve("classes");
    FixtureFiles.classTree(classes, 120, 5);
    StartupReport first = sandbox.run(classes);
    FixtureFiles.touchAll(classes, FixtureFiles.PAST.plusSeconds(86_400));
    Sandbox again = new Sandbox(tempDir, sandbox.project, tempDir.resolve("home2"), tempDir.resolve("store2"));

    StartupReport second = again.run(classes);

    assertThat(second.filesHashed()).as("the fresh home read everything again").isEqualTo(120);
    assertThat(second.packages()).extracting(PackageReport::digest)
        .containsExactlyElementsOf(first.packages().stream().map(PackageReport::digest).toList());
    for (int i = 0; i < first.packages().size(); i++) {
      assertThat(again.stored(second.packages().get(i)))
          .hasSameBinaryContentAs(sandbox.stored(first.packages().get(i)));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Manifest
  // ---------------------------------------------------------------------------------------------

  @Test
  void manifestJson_readFromStorage_holdsNoAbsoluteLocalPathAndNoTimestamps() throws IOException {
    Path classes = sandbox.project.resolve("target/classes");
    FixtureFiles.classTree(classes, 40, 9);
    Path jar = sandbox.dependencyJar("dep", 13);
    Manifest manifest;
    String digest;
    try (GenevaSession session =
        sandbox.builder(classes, jar).jvmOptions(List.of("-Xmx1g")).environment(Map.of("MODE", "test")).open()) {
      manifest = session.manifest();
      digest = session.manifestDigest();
    }

    String json;
    try (FileStorage storage = FileStorage.open(sandbox.store);
        InputStream in = storage.open(ObjectKey.forManifest(digest))) {
      byte[] bytes = in.readAllBytes();
      json = new String(bytes, StandardCharsets.UTF_8);
      assertThat(FixtureFiles.sha256(bytes)).as("the manifest's name is its digest").isEqualTo(digest);
      assertThat(ManifestCodec.decode(new java.io.ByteArrayInputStream(bytes), "test", digest)).isEqualTo(manifest);
    }

    assertThat(json)
        .doesNotContain(tempDir.toString())
        .doesNotContain(sandbox.project.toString())
        .doesNotContain(System.getProperty("user.home"))
        .doesNotContain(System.getProperty("java.io.tmpdir"))
        .doesNotContain("\"/")
        .doesNotContain("file:")
        .doesNotContain(classes.getFileName().toString() + "/")
        .doesNotContain(jar.getFileName().toString());
    assertThat(json).doesNotContainPattern("\\d{4}-\\d{2}-\\d{2}");
    assertThat(json).as("no epoch-like numbers").doesNotContainPattern(":\\d{10,}");
    assertThat(fieldNames(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json), ""))
        .as("every field is about content, none about time or place")
        .containsOnly(
            "classpath", "classpath.key", "classpath.kind", "classpath.sha256", "classpath.size",
            "dependenciesInImage", "environment", "formatVersion", "jvmOptions",
            "runtime", "runtime.arch", "runtime.javaFeatureVersion", "runtime.os");
    assertThat(json).contains("-Xmx1g").contains("MODE");
    assertThat(manifest.classpath()).allSatisfy(p -> {
      assertThat(p.key()).startsWith("packages/sha256/" + p.sha256().substring(0, 2) + "/" + p.sha256());
      assertThat(Path.of(p.key()).isAbsolute()).isFalse();
    });
    assertThat(manifest.classpath()).last().extracting(Manifest.Package::kind).isEqualTo(EntryKind.DEPENDENCY);
  }

  /** Dotted field names of a JSON tree (array elements share their array's name; map values of environment skipped). */
  private static java.util.Set<String> fieldNames(com.fasterxml.jackson.databind.JsonNode node, String prefix) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    if (node.isArray()) {
      node.forEach(child -> out.addAll(fieldNames(child, prefix)));
    } else if (node.isObject()) {
      node.properties().forEach(e -> {
        String name = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
        out.add(name);
        if (!name.equals("environment")) {
          out.addAll(fieldNames(e.getValue(), name));
        }
      });
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Classpath resolution, excludes and classification
  // ---------------------------------------------------------------------------------------------

  @Test
  void wildcardEntry_expandsToTheDirectorysJars_sortedByName_notRecursively() {
    Path lib = sandbox.root.resolve("lib");
    FixtureFiles.jar(lib.resolve("b.jar"), Map.of("b.txt", new byte[] {2}));
    FixtureFiles.jar(lib.resolve("a.jar"), Map.of("a.txt", new byte[] {1}));
    FixtureFiles.write(lib.resolve("notes.txt"), "not a jar");
    FixtureFiles.jar(lib.resolve("nested/c.jar"), Map.of("c.txt", new byte[] {3}));
    Path classes = sandbox.project.resolve("classes");
    FixtureFiles.write(classes.resolve("A.class"), "A");

    StartupReport report =
        Sandbox.run(
            Geneva.connect(sandbox.store.toString())
                .home(sandbox.home)
                .projectDirectory(sandbox.project)
                .clock(sandbox.clock)
                .classpath(classes + File.pathSeparator + lib.resolve("*")));

    assertThat(report.packages()).extracting(PackageReport::source).containsExactly("classes#0", "a.jar", "b.jar");
  }

  @Test
  void wildcardEntry_inAPathList_expandsToo() {
    Path lib = sandbox.root.resolve("lib");
    FixtureFiles.jar(lib.resolve("only.jar"), Map.of("x.txt", new byte[] {1}));

    StartupReport report = sandbox.run(lib.resolve("*"));

    assertThat(report.packages()).extracting(PackageReport::source).containsExactly("only.jar");
  }

  @Test
  void defaultExcludes_dropGitAndIdeDirectories() throws IOException {
    Path classes = sandbox.project.resolve("classes");
    FixtureFiles.write(classes.resolve("com/acme/A.class"), "A");
    FixtureFiles.write(classes.resolve(".git/config"), "[core]");
    FixtureFiles.write(classes.resolve(".git/objects/ab/cdef"), "blob");
    FixtureFiles.write(classes.resolve(".idea/workspace.xml"), "<xml/>");
    FixtureFiles.write(classes.resolve("sub/.git/HEAD"), "ref: refs/heads/main");

    StartupReport report = sandbox.run(classes);

    assertThat(report.files()).isEqualTo(1);
    assertThat(packedFiles(report, "classes")).containsExactly("com/acme/A.class");
  }

  @Test
  void defaultExcludesTurnedOff_shipGitDirectory() throws IOException {
    Path classes = sandbox.project.resolve("classes");
    FixtureFiles.write(classes.resolve("com/acme/A.class"), "A");
    FixtureFiles.write(classes.resolve(".git/config"), "[core]");

    StartupReport report = Sandbox.run(sandbox.builder(classes).defaultExcludes(false));

    assertThat(packedFiles(report, "classes")).containsExactly(".git/config", "com/acme/A.class");
  }

  @Test
  void userExcludes_dropMatchingFilesAndDirectories_andAddToTheDefaults() throws IOException {
    Path classes = sandbox.project.resolve("classes");
    FixtureFiles.write(classes.resolve("com/acme/A.class"), "A");
    FixtureFiles.write(classes.resolve("app.log"), "log");
    FixtureFiles.write(classes.resolve("deep/dir/run.log"), "log");
    FixtureFiles.write(classes.resolve("secret/key.pem"), "key");
    FixtureFiles.write(classes.resolve("keep/secret.txt"), "not the secret dir");
    FixtureFiles.write(classes.resolve(".git/config"), "[core]");

    StartupReport report = Sandbox.run(sandbox.builder(classes).excludes(List.of("*.log", "/secret/")));

    assertThat(packedFiles(report, "classes")).containsExactly("com/acme/A.class", "keep/secret.txt");
  }

  @Test
  void entries_areClassifiedAsWorkspaceDependencyOrOther() {
    Path classes = FixtureFiles.write(sandbox.project.resolve("target/classes/A.class"), "A").getParent();
    Path projectJar = FixtureFiles.jar(sandbox.project.resolve("target/app.jar"), Map.of("app.txt", new byte[] {1}));
    Path mavenJar = sandbox.dependencyJar("dep", 3);
    Path cachedInProject =
        FixtureFiles.jar(sandbox.project.resolve(".m2/repository/org/x/x.jar"), Map.of("x.txt", new byte[] {2}));
    Path otherDir = FixtureFiles.write(sandbox.root.resolve("shared-config/conf.properties"), "a=b").getParent();

    StartupReport report = sandbox.run(classes, projectJar, mavenJar, cachedInProject, otherDir);

    assertThat(report.packages())
        .extracting(PackageReport::source, PackageReport::kind)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("classes#0", EntryKind.WORKSPACE),
            org.assertj.core.groups.Tuple.tuple("app.jar", EntryKind.WORKSPACE),
            org.assertj.core.groups.Tuple.tuple("dep.jar", EntryKind.DEPENDENCY),
            org.assertj.core.groups.Tuple.tuple("x.jar", EntryKind.DEPENDENCY),
            org.assertj.core.groups.Tuple.tuple("shared-config#0", EntryKind.OTHER));
  }

  @Test
  void duplicateEntries_keepTheirFirstPosition() {
    Path a = sandbox.dependencyJar("a", 1);
    Path b = sandbox.dependencyJar("b", 2);

    StartupReport report = sandbox.run(a, b, a);

    assertThat(report.packages()).extracting(PackageReport::source).containsExactly("a.jar", "b.jar");
  }
}
