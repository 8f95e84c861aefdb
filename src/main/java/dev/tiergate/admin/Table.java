package dev.tiergate.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A plain text table in the style of {@code kubectl get} / {@code docker ps}: UPPERCASE headers, no rules, two spaces
 * between columns, numeric columns right-aligned. An optional footer row (a TOTAL) is printed last.
 */
final class Table {

  /** What counts as a number: {@code 1,234}, {@code -0.5}, {@code $0.0025}, {@code 12ms}, {@code 128k}. */
  private static final Pattern NUMBER = Pattern.compile("\\$?[-+]?\\d[\\d,]*(\\.\\d+)?(ms|k)?");
  /** Cells that say "nothing here" and do not decide a column's alignment. */
  private static final Pattern NEUTRAL = Pattern.compile("-|free");
  private static final String GAP = "  ";

  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();
  private List<String> footer;

  Table(String... headers) {
    this.headers = List.of(headers).stream().map(h -> h.toUpperCase(Locale.ROOT)).toList();
  }

  Table row(String... cells) {
    rows.add(checked(cells));
    return this;
  }

  Table footer(String... cells) {
    footer = checked(cells);
    return this;
  }

  /** The table, one line per row, without a trailing newline or trailing blanks. */
  String render() {
    List<List<String>> body = new ArrayList<>(rows);
    if (footer != null) {
      body.add(footer);
    }
    int[] widths = new int[headers.size()];
    boolean[] right = new boolean[headers.size()];
    for (int col = 0; col < headers.size(); col++) {
      widths[col] = headers.get(col).length();
      boolean sawNumber = false;
      boolean allNumeric = true;
      for (List<String> row : body) {
        String cell = row.get(col);
        widths[col] = Math.max(widths[col], cell.length());
        sawNumber |= NUMBER.matcher(cell).matches();
        allNumeric &= NUMBER.matcher(cell).matches() || NEUTRAL.matcher(cell).matches();
      }
      right[col] = sawNumber && allNumeric;
    }
    StringBuilder out = new StringBuilder();
    line(out, headers, widths, right);
    body.forEach(row -> line(out.append('\n'), row, widths, right));
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> cells, int[] widths, boolean[] right) {
    StringBuilder line = new StringBuilder();
    for (int col = 0; col < cells.size(); col++) {
      String cell = cells.get(col);
      String pad = " ".repeat(widths[col] - cell.length());
      line.append(col == 0 ? "" : GAP).append(right[col] ? pad + cell : cell + pad);
    }
    out.append(line.toString().stripTrailing());
  }

  private List<String> checked(String[] cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException("a row has " + cells.length + " cells, the table " + headers.size()
          + " columns");
    }
    return List.of(cells);
  }
}
