package io.micro4j.cli;

import java.util.List;
import java.util.function.Consumer;

/** Rows printed as left-aligned columns two spaces apart. */
final class Table {

	private Table() {
	}

	static void print(List<String[]> rows, Consumer<String> out) {
		int columns = rows.stream().mapToInt(row -> row.length).max().orElse(0);
		int[] widths = new int[columns];
		for (String[] row : rows) {
			for (int i = 0; i < row.length; i++) {
				widths[i] = Math.max(widths[i], row[i].length());
			}
		}
		for (String[] row : rows) {
			StringBuilder line = new StringBuilder();
			for (int i = 0; i < row.length; i++) {
				line.append(row[i]);
				if (i < row.length - 1) {
					line.append(" ".repeat(widths[i] - row[i].length() + 2));
				}
			}
			out.accept(line.toString().stripTrailing());
		}
	}

}
