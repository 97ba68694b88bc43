/// Rows of cells as aligned terminal columns: the first `leftAligned` columns (names) padded on
/// the right, the rest (numbers) on the left, two spaces between columns.
func renderColumns(_ rows: [[String]], leftAligned: Int = 2) -> String {
    guard let first = rows.first else { return "" }
    var widths = Array(repeating: 0, count: first.count)
    for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
    return rows.map { r in
        r.enumerated().map { i, c in
            i < leftAligned ? c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                            : String(repeating: " ", count: widths[i] - c.count) + c
        }.joined(separator: "  ")
    }.joined(separator: "\n")
}
