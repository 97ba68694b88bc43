import Foundation

/// One swept parameter: its name and its values, in the order they were written.
///
/// Values are text, handed to `Scenario.set(name, text)` unchanged, so any parameter the model
/// accepts (integer costs, and named choices such as a controller family or a policy) is an axis.
public struct GridAxis: Equatable, Sendable {
    public var name: String
    public var values: [String]

    public init(name: String, values: [String]) {
        self.name = name
        self.values = values
    }
}

public struct GridError: Error, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The cartesian product of axes. Point indices run with the last axis fastest, so the first axis
/// is the outermost loop (the order a reader of the results file sees).
public struct Grid: Equatable, Sendable {
    public var axes: [GridAxis]

    public init(axes: [GridAxis]) throws(GridError) {
        var seen = Set<String>()
        var count = 1
        for a in axes {
            guard seen.insert(a.name).inserted else { throw GridError("parameter \(a.name) is swept twice") }
            guard !a.values.isEmpty else { throw GridError("\(a.name) has no values") }
            let (c, overflow) = count.multipliedReportingOverflow(by: a.values.count)
            guard !overflow else { throw GridError("the grid has too many points to count") }
            count = c
        }
        self.axes = axes
        pointCount = count
    }

    /// Points in the grid (1 for no axes: the scenario as given).
    public private(set) var pointCount: Int

    /// The value of every axis at point `p`, in axis order.
    public func values(at p: Int) -> [String] {
        var rest = p
        var out = [String](repeating: "", count: axes.count)
        for k in axes.indices.reversed() {
            let n = axes[k].values.count
            out[k] = axes[k].values[rest % n]
            rest /= n
        }
        return out
    }

    /// `name=value;...` of point `p`, every axis in axis order (defaults included): the grid part
    /// of the `params` column.
    public func description(at p: Int) -> String {
        zip(axes, values(at: p)).map { "\($0.name)=\($1)" }.joined(separator: ";")
    }
}

/// The text forms of an axis (`--grid NAME=SPEC`, one line of a grid file).
///
/// SPEC is a comma-separated list of items; each item is a value or a range of integers:
/// - `A..B+S`: linear, A, A+S, A+2S, ... up to B (B included when reached);
/// - `A..B*F`: geometric (evenly spaced on a log axis), A, A*F, A*F^2, ... up to B, each rounded
///   to the nearest integer; F > 1 and may be a decimal (`1000..64000*1.5`).
/// Items concatenate (`500,1000..8000*2,20000`); a value may not appear twice.
public enum GridSyntax {
    public static let help = """
        NAME=SPEC. SPEC is a comma-separated list of values and ranges: A..B+S (linear: A, A+S, \
        ... up to B), A..B*F (geometric: A, A*F, A*F^2, ... up to B, rounded; F may be a decimal). \
        Examples: service=500,1000..16000*2 or vcpu_budget=100000..1000000+100000 or harts=1,2. Named values (irqchip=...) are swept the same way.
        """

    /// At most this many values per axis: a typo such as `1..1000000000+1` must not eat memory.
    public static let maxValuesPerAxis = 100_000

    public static func parseAxis(_ text: String) throws(GridError) -> GridAxis {
        guard let eq = text.firstIndex(of: "=") else { throw GridError("'\(text)': expected NAME=VALUES") }
        let name = text[..<eq].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw GridError("'\(text)': the parameter name is empty") }
        var values: [String] = []
        for item in text[text.index(after: eq)...].split(separator: ",", omittingEmptySubsequences: false) {
            let item = item.trimmingCharacters(in: .whitespaces)
            guard !item.isEmpty else { throw GridError("\(name): an empty value in '\(text)'") }
            if item.contains("..") {
                values += try expandRange(item, axis: name)
            } else {
                try checkValue(item, axis: name)
                values.append(item)
            }
            guard values.count <= maxValuesPerAxis else {
                throw GridError("\(name): more than \(maxValuesPerAxis) values")
            }
        }
        var seen = Set<String>()
        for v in values where !seen.insert(v).inserted {
            throw GridError("\(name): the value \(v) appears twice")
        }
        return GridAxis(name: name, values: values)
    }

    /// A grid file: one axis per line in the `--grid` syntax (`NAME=SPEC`, spaces allowed around
    /// `=` and `,`), `#` starts a comment, blank lines are skipped. Errors name the file and line.
    public static func parseFile(_ text: String, file: String) throws(GridError) -> [GridAxis] {
        var axes: [GridAxis] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(raw)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            do { axes.append(try parseAxis(trimmed)) } catch { throw GridError("\(file):\(n + 1): \(error.description)") }
        }
        return axes
    }

    /// Values go into the `params` column (`name=value;...`) and the sweep's description; the
    /// characters that structure those cannot be part of a value.
    static func checkValue(_ v: String, axis: String) throws(GridError) {
        if let bad = v.first(where: { $0 == ";" || $0 == "=" || $0 == "\"" || $0 == "#" || $0.isWhitespace }) {
            throw GridError("\(axis): the value '\(v)' contains '\(bad)'")
        }
    }

    static func expandRange(_ item: String, axis: String) throws(GridError) -> [String] {
        let bad = GridError("\(axis): '\(item)' is not a range (A..B+STEP or A..B*FACTOR, integers A <= B)")
        let parts = item.components(separatedBy: "..")
        // 2^62 keeps every step of the arithmetic below far from overflow (the model caps costs at 2^50).
        guard parts.count == 2, let a = UInt64(parts[0]), a <= 1 << 62 else { throw bad }
        let rest = parts[1]
        if let plus = rest.firstIndex(of: "+") {
            guard let b = UInt64(rest[..<plus]), let step = UInt64(rest[rest.index(after: plus)...]), a <= b,
                  b <= 1 << 62, step <= 1 << 62 else { throw bad }
            guard step > 0 else { throw GridError("\(axis): '\(item)': the step must be > 0") }
            guard (b - a) / step < UInt64(maxValuesPerAxis) else {
                throw GridError("\(axis): '\(item)' has more than \(maxValuesPerAxis) values")
            }
            return stride(from: a, through: b, by: Int(step)).map { String($0) }
        }
        if let star = rest.firstIndex(of: "*") {
            guard let b = UInt64(rest[..<star]), let f = Double(rest[rest.index(after: star)...]), a <= b,
                  b <= 1 << 62 else { throw bad }
            guard f > 1, f.isFinite else { throw GridError("\(axis): '\(item)': the factor must be > 1") }
            guard a > 0 else { throw GridError("\(axis): '\(item)': a geometric range starts above 0") }
            // a * f^k, computed from a each time (no accumulated rounding), rounded to integers;
            // small factors can round two terms to the same integer: keep it once.
            var out: [String] = []
            var last: UInt64? = nil
            var k = 0.0
            while true {
                let x = (Double(a) * pow(f, k)).rounded()
                guard x <= Double(b) else { break }
                let v = UInt64(x)
                if v != last { out.append(String(v)); last = v }
                guard out.count <= maxValuesPerAxis else {
                    throw GridError("\(axis): '\(item)' has more than \(maxValuesPerAxis) values")
                }
                k += 1
            }
            return out
        }
        throw bad
    }
}
