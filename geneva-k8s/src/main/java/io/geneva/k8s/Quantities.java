package io.geneva.k8s;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks of Kubernetes resource quantities. Stricter than Kubernetes on purpose: exponents and
 * signs are refused, and so are the units that are valid but almost always a mistake ({@code 512m}
 * of memory is half a byte).
 */
final class Quantities {
  private static final Pattern CPU = Pattern.compile("([0-9]+(\\.[0-9]+)?|\\.[0-9]+)(m?)");
  private static final Pattern BYTES = Pattern.compile("([0-9]+(\\.[0-9]+)?)([A-Za-z]*)");
  private static final Map<String, BigDecimal> UNITS = Map.ofEntries(
      Map.entry("", BigDecimal.ONE),
      Map.entry("k", BigDecimal.TEN.pow(3)),
      Map.entry("M", BigDecimal.TEN.pow(6)),
      Map.entry("G", BigDecimal.TEN.pow(9)),
      Map.entry("T", BigDecimal.TEN.pow(12)),
      Map.entry("P", BigDecimal.TEN.pow(15)),
      Map.entry("E", BigDecimal.TEN.pow(18)),
      Map.entry("Ki", BigDecimal.valueOf(2).pow(10)),
      Map.entry("Mi", BigDecimal.valueOf(2).pow(20)),
      Map.entry("Gi", BigDecimal.valueOf(2).pow(30)),
      Map.entry("Ti", BigDecimal.valueOf(2).pow(40)),
      Map.entry("Pi", BigDecimal.valueOf(2).pow(50)),
      Map.entry("Ei", BigDecimal.valueOf(2).pow(60)));
  private static final BigDecimal MEBIBYTE = BigDecimal.valueOf(2).pow(20);

  private Quantities() {}

  /** A positive number of CPU cores: {@code 2}, {@code 0.5} or {@code 500m}. */
  static void cpus(String value, String path, Problems problems) {
    Matcher m = CPU.matcher(value);
    if (value.startsWith("-")) {
      problems.add(path, Names.quote(value) + " is negative; ask for more than 0 CPUs");
    } else if (!m.matches()) {
      problems.add(path, Names.quote(value) + " is not a CPU quantity; use a number of cores such as 2 or 0.5,"
          + " or millicores such as 500m");
    } else if (new BigDecimal(m.group(1)).signum() == 0) {
      problems.add(path, "must be more than 0, not " + Names.quote(value));
    }
  }

  /**
   * A positive number of bytes with a Kubernetes unit ({@code 512Mi}, {@code 8Gi}, {@code 1G}) and
   * at least one mebibyte, so that a forgotten unit is caught.
   */
  static void bytes(String value, String path, Problems problems) {
    Matcher m = BYTES.matcher(value);
    if (value.startsWith("-")) {
      problems.add(path, Names.quote(value) + " is negative; use a size such as 512Mi or 8Gi");
      return;
    }
    if (!m.matches()) {
      problems.add(path, Names.quote(value) + " is not a Kubernetes quantity; use a number with a unit such as"
          + " 512Mi or 8Gi");
      return;
    }
    String number = m.group(1);
    String unit = m.group(3);
    if (unit.equals("m")) {
      problems.add(path, Names.quote(value) + " means " + number + " thousandths of a byte ('m' is milli);"
          + " use Mi for mebibytes: \"" + number + "Mi\"");
      return;
    }
    BigDecimal multiplier = UNITS.get(unit);
    if (multiplier == null) {
      String fixed = fixCase(unit);
      problems.add(path, Names.quote(value) + " has an unknown unit \"" + unit + "\"; units are case-sensitive:"
          + " Ki, Mi, Gi, Ti, Pi, Ei or k, M, G, T, P, E"
          + (fixed.isEmpty() ? "" : "; did you mean \"" + number + fixed + "\"?"));
      return;
    }
    BigDecimal bytes = new BigDecimal(number).multiply(multiplier);
    if (bytes.signum() == 0) {
      problems.add(path, "must be more than 0, not " + Names.quote(value));
    } else if (bytes.compareTo(MEBIBYTE) < 0) {
      problems.add(path, Names.quote(value) + " is less than 1Mi, almost certainly a missing unit; did you mean \""
          + number + "Gi\" or \"" + number + "Mi\"?");
    }
  }

  /** The cores of a CPU quantity that {@link #cpus} accepted. */
  static double cpuValue(String value) {
    Matcher m = CPU.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a CPU quantity: " + value);
    }
    double cores = Double.parseDouble(m.group(1));
    return m.group(3).isEmpty() ? cores : cores / 1000;
  }

  /** The bytes of a quantity that {@link #bytes} accepted. */
  static long byteValue(String value) {
    Matcher m = BYTES.matcher(value);
    BigDecimal multiplier = m.matches() ? UNITS.get(m.group(3)) : null;
    if (multiplier == null) {
      throw new IllegalArgumentException("not a byte quantity: " + value);
    }
    return new BigDecimal(m.group(1)).multiply(multiplier).longValue();
  }

  private static String fixCase(String unit) {
    for (String known : UNITS.keySet()) {
      if (!known.isEmpty() && known.equalsIgnoreCase(unit) && known.length() == 2) {
        return known;
      }
    }
    return "";
  }
}
