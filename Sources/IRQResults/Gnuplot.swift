import Foundation

public enum PlotFormat: String, Sendable, CaseIterable {
    case png, svg

    /// The format an output path asks for by its extension, nil for any other extension.
    public init?(path: String) {
        self.init(rawValue: URL(fileURLWithPath: path).pathExtension.lowercased())
    }

    /// The terminal line for a picture of `size` pixels (default 1100 x 650).
    func terminal(size: (width: Int, height: Int)? = nil) -> String {
        let (w, h) = size ?? (1100, 650)
        switch self {
        // noenhanced: metric names are full of underscores that enhanced text would turn into subscripts.
        case .png: return "set terminal pngcairo size \(w),\(h) noenhanced font 'sans,10'"
        case .svg: return "set terminal svg size \(w),\(h) dynamic noenhanced font 'sans,10' background '#ffffff'"
        }
    }
}

public struct PlotError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Runs gnuplot on a script and data files written to a fresh temporary directory, then moves the
/// picture into place atomically (a half-written PNG must never be mistaken for a result).
public enum Gnuplot {
    /// `IRQBENCH_GNUPLOT` if set, else the first `gnuplot` on PATH.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let explicit = environment["IRQBENCH_GNUPLOT"], !explicit.isEmpty {
            return FileManager.default.isExecutableFile(atPath: explicit) ? explicit : nil
        }
        for dir in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/gnuplot"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    public static let missingMessage =
        "gnuplot was not found on PATH: install it (Debian/Ubuntu: apt-get install -y gnuplot-nox) or set IRQBENCH_GNUPLOT"

    /// `body` draws the plot; it must not set the terminal or the output. `data` maps file names
    /// (relative, as the script uses them) to their contents.
    public static func render(body: String, data: [String: String], format: PlotFormat,
                              size: (width: Int, height: Int)? = nil, to output: String) throws {
        guard let gnuplot = locate() else { throw PlotError(missingMessage) }
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("irqbench-plot-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let picture = "plot.\(format.rawValue)"
        let script = "\(format.terminal(size: size))\nset output '\(picture)'\n\(body)\nunset output\n"
        for (name, text) in data {
            try Data(text.utf8).write(to: dir.appendingPathComponent(name))
        }
        try Data(script.utf8).write(to: dir.appendingPathComponent("plot.gp"))

        let p = Process()
        p.executableURL = URL(fileURLWithPath: gnuplot)
        p.arguments = ["plot.gp"]
        p.currentDirectoryURL = dir
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let produced = try? Data(contentsOf: dir.appendingPathComponent(picture))
        guard p.terminationStatus == 0, let produced, !produced.isEmpty else {
            // Keep the directory: its plot.gp and data files are what one needs to see the problem.
            throw PlotError("gnuplot failed (status \(p.terminationStatus)) on \(dir.path)/plot.gp: "
                + errText.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        try writeFileAtomically(produced, to: output)
        try? FileManager.default.removeItem(at: dir)
    }

    /// A gnuplot single-quoted string literal.
    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
}
