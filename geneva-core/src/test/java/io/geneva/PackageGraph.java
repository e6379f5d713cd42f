package io.geneva;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

/**
 * The dependencies between the packages of a classes directory, as the JDK's {@code jdeps} reads
 * them from the byte code (constant pools and descriptors), each edge with the class dependencies
 * behind it. Immutable.
 */
public final class PackageGraph {
  private static final Pattern EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s+.*$");

  /** Package to package, each edge with the "from-class -> to-class" lines behind it. */
  private final Map<String, Map<String, Set<String>>> edges;

  private PackageGraph(Map<String, Map<String, Set<String>>> edges) {
    this.edges = edges;
  }

  /**
   * The graph of the classes under {@code classes} (a directory or jar), restricted to dependencies
   * between packages whose names start with {@code packagePrefix}.
   */
  public static PackageGraph of(Path classes, String packagePrefix) {
    ToolProvider jdeps = ToolProvider.findFirst("jdeps")
        .orElseThrow(() -> new IllegalStateException("this JVM has no jdeps tool; run the tests on a JDK"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:class", "-filter:none",
        "-e", Pattern.quote(packagePrefix) + ".*", classes.toString());
    if (code != 0) {
      throw new IllegalStateException("jdeps " + classes + " exited with " + code + ": " + err);
    }
    Map<String, Map<String, Set<String>>> edges = new TreeMap<>();
    for (String line : out.toString().split("\\R")) {
      Matcher m = EDGE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      String fromClass = m.group(1);
      String toClass = m.group(2);
      String from = packageOf(fromClass);
      String to = packageOf(toClass);
      if (!from.equals(to) && from.startsWith(packagePrefix) && to.startsWith(packagePrefix)) {
        edges.computeIfAbsent(from, k -> new TreeMap<>()).computeIfAbsent(to, k -> new TreeSet<>())
            .add(simple(fromClass) + " -> " + simple(toClass));
      }
    }
    if (edges.isEmpty()) {
      throw new IllegalStateException("jdeps found no dependencies between " + packagePrefix + " packages in "
          + classes + "; is it compiled?");
    }
    return new PackageGraph(edges);
  }

  private static String packageOf(String className) {
    return className.substring(0, className.lastIndexOf('.'));
  }

  private static String simple(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  /** Every package with a dependency, or a dependent. */
  public Set<String> packages() {
    Set<String> all = new TreeSet<>(edges.keySet());
    edges.values().forEach(targets -> all.addAll(targets.keySet()));
    return all;
  }

  /** The packages {@code from} depends on. */
  public Set<String> dependencies(String from) {
    return edges.getOrDefault(from, Map.of()).keySet();
  }

  /** The class dependencies behind the edge {@code from -> to}, as {@code "A -> B"} lines. */
  public Set<String> why(String from, String to) {
    return edges.getOrDefault(from, Map.of()).getOrDefault(to, Set.of());
  }

  /**
   * This graph with packages renamed: packages mapped to the same name become one node, and the
   * edges between them disappear.
   */
  public PackageGraph merge(UnaryOperator<String> rename) {
    Map<String, Map<String, Set<String>>> merged = new TreeMap<>();
    edges.forEach((from, targets) -> targets.forEach((to, why) -> {
      String f = rename.apply(from);
      String t = rename.apply(to);
      if (!f.equals(t)) {
        merged.computeIfAbsent(f, k -> new TreeMap<>()).computeIfAbsent(t, k -> new TreeSet<>()).addAll(why);
      }
    }));
    return new PackageGraph(merged);
  }

  /** This graph without the edge {@code from -> to}. */
  public PackageGraph without(String from, String to) {
    Map<String, Map<String, Set<String>>> copy = new TreeMap<>();
    edges.forEach((f, targets) -> targets.forEach((t, why) -> {
      if (!(f.equals(from) && t.equals(to))) {
        copy.computeIfAbsent(f, k -> new TreeMap<>()).put(t, why);
      }
    }));
    return new PackageGraph(copy);
  }

  /** This graph with only the packages {@code keep} accepts. */
  public PackageGraph only(Predicate<String> keep) {
    Map<String, Map<String, Set<String>>> copy = new TreeMap<>();
    edges.forEach((f, targets) -> targets.forEach((t, why) -> {
      if (keep.test(f) && keep.test(t)) {
        copy.computeIfAbsent(f, k -> new TreeMap<>()).put(t, why);
      }
    }));
    return new PackageGraph(copy);
  }

  /**
   * One cycle for each group of packages that depend on each other (a strongly connected component
   * of two or more), each described as {@code a -> b -> a} with the class dependencies behind every
   * step; empty when the graph is acyclic.
   */
  public List<String> cycles() {
    List<String> described = new ArrayList<>();
    for (Set<String> component : components()) {
      if (component.size() > 1) {
        described.add(describe(cycleWithin(component)));
      }
    }
    return described;
  }

  /** Tarjan's strongly connected components, iteratively. */
  private List<Set<String>> components() {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<Set<String>> found = new ArrayList<>();
    int[] next = {0};
    for (String root : packages()) {
      if (index.containsKey(root)) {
        continue;
      }
      Deque<Map.Entry<String, Iterator<String>>> work = new ArrayDeque<>();
      index.put(root, next[0]);
      low.put(root, next[0]++);
      stack.push(root);
      onStack.add(root);
      work.push(Map.entry(root, dependencies(root).iterator()));
      while (!work.isEmpty()) {
        String v = work.peek().getKey();
        Iterator<String> it = work.peek().getValue();
        if (it.hasNext()) {
          String w = it.next();
          if (!index.containsKey(w)) {
            index.put(w, next[0]);
            low.put(w, next[0]++);
            stack.push(w);
            onStack.add(w);
            work.push(Map.entry(w, dependencies(w).iterator()));
          } else if (onStack.contains(w)) {
            low.put(v, Math.min(low.get(v), index.get(w)));
          }
          continue;
        }
        work.pop();
        if (!work.isEmpty()) {
          String parent = work.peek().getKey();
          low.put(parent, Math.min(low.get(parent), low.get(v)));
        }
        if (low.get(v).equals(index.get(v))) {
          Set<String> component = new TreeSet<>();
          String w;
          do {
            w = stack.pop();
            onStack.remove(w);
            component.add(w);
          } while (!w.equals(v));
          found.add(component);
        }
      }
    }
    return found;
  }

  /** A shortest cycle through the component's first package, by breadth-first search. */
  private List<String> cycleWithin(Set<String> component) {
    String start = component.iterator().next();
    Map<String, String> parent = new HashMap<>();
    Deque<String> queue = new ArrayDeque<>(List.of(start));
    while (!queue.isEmpty()) {
      String v = queue.poll();
      for (String w : dependencies(v)) {
        if (!component.contains(w)) {
          continue;
        }
        if (w.equals(start)) {
          List<String> path = new ArrayList<>();
          for (String at = v; at != null; at = parent.get(at)) {
            path.add(0, at);
          }
          path.add(start);
          return path;
        }
        if (!parent.containsKey(w) && !w.equals(start)) {
          parent.put(w, v);
          queue.add(w);
        }
      }
    }
    throw new AssertionError("no cycle through " + start + " in " + component);
  }

  private String describe(List<String> cycle) {
    StringBuilder s = new StringBuilder(String.join(" -> ", cycle)).append(", because");
    for (int i = 0; i + 1 < cycle.size(); i++) {
      s.append(i == 0 ? " " : "; ").append(String.join(", ", why(cycle.get(i), cycle.get(i + 1))));
    }
    return s.toString();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    edges.forEach((from, targets) -> s.append(from).append(" -> ").append(targets.keySet()).append('\n'));
    return s.toString();
  }
}
