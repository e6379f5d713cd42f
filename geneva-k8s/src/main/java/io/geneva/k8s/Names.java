package io.geneva.k8s;

import java.util.Locale;
import java.util.regex.Pattern;

/** Checks of Kubernetes names, label keys and values, and environment variable names. */
final class Names {
  /**
   * KubeRay refuses longer RayCluster names: its longest service suffix ({@code -serve-svc}) must
   * still fit a 63-character DNS label.
   */
  static final int MAX_CLUSTER_NAME = 53;

  private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final Pattern DNS1123_LABEL = Pattern.compile(LABEL);
  private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
  private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

  private Names() {}

  /** A RayCluster name: a DNS-1035 label of at most 53 characters, as KubeRay requires. */
  static void clusterName(String name, String path, Problems problems) {
    if (name.length() > MAX_CLUSTER_NAME || !DNS1035_LABEL.matcher(name).matches()) {
      problems.add(path, quote(name) + " is not a valid RayCluster name; use at most " + MAX_CLUSTER_NAME
          + " lowercase letters, digits and '-', starting with a letter and ending with a letter or digit"
          + suggestion(name, MAX_CLUSTER_NAME, true));
    }
  }

  /** A DNS-1123 label: namespaces, worker group names. */
  static void label(String value, String path, String what, Problems problems) {
    if (value.length() > 63 || !DNS1123_LABEL.matcher(value).matches()) {
      problems.add(path, quote(value) + " is not a valid " + what + " (a DNS-1123 label: at most 63"
          + " lowercase letters, digits and '-', starting and ending with a letter or digit)"
          + suggestion(value, 63, false));
    }
  }

  /** A DNS-1123 subdomain: service accounts, secrets. */
  static void subdomain(String value, String path, String what, Problems problems) {
    if (value.length() > 253 || !DNS1123_SUBDOMAIN.matcher(value).matches()) {
      problems.add(path, quote(value) + " is not a valid " + what + " (a DNS-1123 subdomain: at most 253"
          + " lowercase letters, digits, '-' and '.', starting and ending with a letter or digit)"
          + suggestion(value, 63, false));
    }
  }

  /** A label key (also a node selector key): an optional DNS subdomain prefix and '/', then a name. */
  static void labelKey(String key, String path, Problems problems) {
    int slash = key.indexOf('/');
    String prefix = slash < 0 ? "" : key.substring(0, slash);
    String name = slash < 0 ? key : key.substring(slash + 1);
    boolean prefixOk = slash < 0
        || (!prefix.isEmpty() && prefix.length() <= 253 && DNS1123_SUBDOMAIN.matcher(prefix).matches());
    boolean nameOk = name.length() <= 63 && QUALIFIED_NAME.matcher(name).matches();
    if (!prefixOk || !nameOk) {
      problems.add(path, quote(key) + " is not a valid label key; use an optional DNS subdomain prefix and"
          + " '/', then at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or"
          + " digit, such as \"example.com/role\"");
    }
  }

  /** A label value (also a node selector value): empty, or a short qualified name. */
  static void labelValue(String value, String path, Problems problems) {
    if (!value.isEmpty() && (value.length() > 63 || !QUALIFIED_NAME.matcher(value).matches())) {
      problems.add(path, quote(value) + " is not a valid label value; use at most 63 letters, digits, '-',"
          + " '_' and '.', starting and ending with a letter or digit");
    }
  }

  /** An environment variable name. */
  static void envName(String name, String path, Problems problems) {
    if (!ENV_NAME.matcher(name).matches()) {
      problems.add(path, quote(name) + " is not a valid environment variable name; use letters, digits, '_',"
          + " '-' and '.', not starting with a digit");
    }
  }

  private static String suggestion(String value, int max, boolean letterFirst) {
    String s = value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-+", "-");
    if (letterFirst) {
      s = s.replaceFirst("^[^a-z]+", "");
    }
    s = s.replaceFirst("^-+", "");
    if (s.length() > max) {
      s = s.substring(0, max);
    }
    s = s.replaceFirst("-+$", "");
    Pattern valid = letterFirst ? DNS1035_LABEL : DNS1123_LABEL;
    return !s.isEmpty() && !s.equals(value) && valid.matcher(s).matches() ? ", such as " + quote(s) : "";
  }

  static String quote(String s) {
    return "\"" + s + "\"";
  }

  /** Whether a worker group's name says it is meant for GPUs: it has a {@code gpu} or {@code gpus} word. */
  static boolean saysGpu(String groupName) {
    for (String word : groupName.split("-")) {
      if (word.equals("gpu") || word.equals("gpus")) {
        return true;
      }
    }
    return false;
  }
}
