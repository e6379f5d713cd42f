package io.geneva.cli.bench;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table: columns padded to their widest cell, numbers right-aligned where asked. */
final class TextTable {
  private final List<String[]> rows = new ArrayList<>();
  private final boolean[] rightAligned;

  /** @param header the column titles; a title starting with {@code >} is right-aligned (the {@code >} is dropped) */
  TextTable(String... header) {
    rightAligned = new boolean[header.length];
    String[] titles = new String[header.length];
    for (int i = 0; i < header.length; i++) {
      rightAligned[i] = header[i].startsWith(">");
      titles[i] = rightAligned[i] ? header[i].substring(1) : header[i];
    }
    rows.add(titles);
  }

  TextTable row(String... cells) {
    if (cells.length != rightAligned.length) {
      throw new IllegalArgumentException("expected " + rightAligned.length + " cells, got " + cells.length);
    }
    rows.add(cells.clone());
    return this;
  }

  /** The table, each line indented by {@code indent} and ending with a newline. */
  String render(String indent) {
    int[] widths = new int[rightAligned.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder(indent);
      for (int i = 0; i < row.length; i++) {
        String pad = " ".repeat(widths[i] - row[i].length());
        line.append(rightAligned[i] ? pad + row[i] : row[i] + pad);
        if (i < row.length - 1) {
          line.append("   ");
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }
}
