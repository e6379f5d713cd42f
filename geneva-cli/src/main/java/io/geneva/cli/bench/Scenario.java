package io.geneva.cli.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one scenario measured: its checks (the table), notes for people (counters, per-run lines)
 * and the same facts as data for {@code --json}.
 *
 * @param id the scenario's letter
 * @param title what the scenario does
 * @param checks rows compared with targets
 * @param notes lines printed under the table
 * @param data machine-readable facts (numbers, strings, lists and maps of them)
 */
record Scenario(String id, String title, List<Check> checks, List<String> notes, Map<String, Object> data) {
  Scenario {
    checks = List.copyOf(checks);
    notes = List.copyOf(notes);
    data = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data));
  }
}
