import Foundation
import IRQResults
import IRQTrace

extension ValidationWorkloads {
    /// The workload in the text trace format (docs/traces.md), the bytes its sha256 is taken of.
    public static func text(_ events: [TraceEvent]) -> String {
        "time_ns,source,kind,count\n" + events.map { "\($0.time),\($0.source),\($0.kind.name),\($0.count)\n" }.joined()
    }
}

extension ValidationRow {
    /// `5694`, `6365.400`: integers as integers, the rest with three decimals (the results schema).
    static func value(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(format: "%.3f", v)
    }

    /// Rows of the results CSV (kind `sim`): `<id>_<slug>_model`, `_measured`, `_error` and, for
    /// predictions, `_hit` (1 or 0). `trace` names the workload; its sha256 is of the workload's text.
    public func resultRows(commit: String, workloadSHA256: String) -> [ResultRow] {
        let base = ResultRow(commit: commit, trace: "sl-\(workload)", traceSHA256: workloadSHA256,
                             params: "platform=\(platform)", strategy: strategy.rawValue, kind: .sim, metric: "", value: "")
        func r(_ suffix: String, _ value: String) -> ResultRow {
            var x = base
            x.metric = "\(id)_\(slug)_\(suffix)"
            x.value = value
            return x
        }
        var out = [r("model", Self.value(model)), r("measured", Self.value(measured))]
        if let e = error { out.append(r("error", Self.value(e))) }
        if verdict != .fit { out.append(r("hit", verdict == .hit ? "1" : "0")) }
        return out
    }
}
