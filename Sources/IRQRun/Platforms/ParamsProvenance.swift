import IRQReplay

/// The `params` column of a results row: what differs from the model's defaults. With a platform
/// preset it starts with `platform=NAME` and then lists only what differs from the preset (the
/// `--param` overrides), so rows stay short and say which calibration they used.
public func paramsProvenance(scenario: Scenario, platform: PlatformPreset?, sourcesSHA256: String?) -> String {
    var parts: [String] = []
    if let p = platform {
        parts.append("platform=\(p.name)")
        parts += p.overrides(in: scenario)
    } else if !scenario.canonicalDescription.isEmpty {
        parts.append(scenario.canonicalDescription)
    }
    if let s = sourcesSHA256 { parts.append("sources=" + s.prefix(16)) }
    return parts.joined(separator: ";")
}

extension PlatformPreset {
    /// `name=value` for every parameter whose value in `scenario` differs from this preset's, in
    /// the documentation order of the parameters.
    public func overrides(in scenario: Scenario) -> [String] {
        guard let base = try? self.scenario() else {
            // Not applicable to this model (cannot happen for a scenario built from it).
            return scenario.canonicalDescription.isEmpty ? [] : [scenario.canonicalDescription]
        }
        let now = Self.pairs(scenario.canonicalDescription)
        let was = Dictionary(Self.pairs(base.canonicalDescription), uniquingKeysWith: { a, _ in a })
        let nowNames = Set(now.map(\.0))
        var out = now.filter { was[$0.0] != $0.1 }
        // A preset value overridden back to the model's default drops out of the canonical text.
        for (name, _) in Self.pairs(base.canonicalDescription) where !nowNames.contains(name) {
            out.append((name, Self.defaultText(name)))
        }
        let order = Dictionary(Scenario.parameterNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return out.sorted { (order[$0.0] ?? Int.max) < (order[$1.0] ?? Int.max) }.map { "\($0.0)=\($0.1)" }
    }

    static func pairs(_ canonical: String) -> [(String, String)] {
        canonical.split(separator: ";").compactMap { part -> (String, String)? in
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return kv.count == 2 ? (String(kv[0]), String(kv[1])) : nil
        }
    }

    static func defaultText(_ name: String) -> String {
        let d = Scenario()
        if let sel = Scenario.selectors.first(where: { $0.name == name }) { return sel.get(d) }
        if let p = Scenario.parameters.first(where: { $0.name == name }) { return String(d[keyPath: p.key]) }
        return "unset"  // an optional parameter (vcpu_period, vcpu_budget) the preset set
    }
}
