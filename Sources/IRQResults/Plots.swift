import Foundation

/// The pictures of `irqbench plot`. Each `*Script` function returns the gnuplot body and data files
/// (testable without gnuplot); the matching function without the suffix renders them.
public enum Plots {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    /// How the i-th line of a picture is drawn. Colour, dash pattern and point type all change
    /// together, and earlier lines are drawn wider (gnuplot draws in order, so they lie below):
    /// where two strategies give the same values, the later line runs inside the earlier one
    /// and both stay visible.
    struct LineStyle {
        var color: String
        var dash: String
        var point: Int
        var width: Double

        static let dashes = ["solid", "(9,4)", "(2,3)", "(12,4,2,4)", "(5,5)", "(12,3,2,3,2,3)", "(1,2)", "(16,6)"]
        static let points = [7, 5, 9, 11, 13, 4, 6, 8]

        init(_ i: Int, of n: Int, widest: Double = 4.5, narrowest: Double = 1.5) {
            color = palette[i % palette.count]
            dash = Self.dashes[i % Self.dashes.count]
            point = Self.points[i % Self.points.count]
            width = n <= 1 ? narrowest : widest - (widest - narrowest) * Double(i) / Double(n - 1)
        }

        /// gnuplot line properties, e.g. `lw 3.0 dt (9,4) lc rgb '#d62728'`.
        var line: String { "lw \(String(format: "%.1f", width)) dt \(dash) lc rgb '\(color)'" }
    }
}

/// 850 ns, 2.05 us, 28.1 ms, 1.5 s: three significant digits, the unit that fits.
public func formatDuration(_ ns: UInt64) -> String { formatDuration(Double(ns)) }

public func formatDuration(_ ns: Double) -> String {
    let units: [(Double, String)] = [(1e9, "s"), (1e6, "ms"), (1e3, "us")]
    for (scale, unit) in units where ns >= scale {
        return String(format: "%.3g", ns / scale) + " " + unit
    }
    return String(format: "%.0f", ns) + " ns"
}
