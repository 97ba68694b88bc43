import Foundation
import IRQTrace

/// Who handles a source (docs/model.md §2.1 per-source settings).
public enum SourceOwner: String, Sendable, Equatable {
    case guest, host
}

/// Per-source settings of docs/model.md §2; unset fields take the defaults.
public struct SourceSetting: Equatable, Sendable {
    public var owner: SourceOwner = .guest
    public var priority: UInt32 = 1
    public var targetHart: UInt64 = 0
    /// When set, must agree with the trace's records of the source.
    public var trigger: RequestKind? = nil

    public init(owner: SourceOwner = .guest, priority: UInt32 = 1, targetHart: UInt64 = 0, trigger: RequestKind? = nil) {
        self.owner = owner
        self.priority = priority
        self.targetHart = targetHart
        self.trigger = trigger
    }
}

/// The settings of every source, indexed by source ID (1...1023).
public struct SourceSettings: Equatable, Sendable {
    public var settings: [UInt16: SourceSetting] = [:]

    public init(_ settings: [UInt16: SourceSetting] = [:]) { self.settings = settings }

    public subscript(source: UInt16) -> SourceSetting {
        get { settings[source] ?? SourceSetting() }
        set { settings[source] = newValue }
    }

    /// Parses the JSON file format of docs/model.md §2.1: an object keyed by source ID, each value an
    /// object with any of `owner`, `priority`, `target_hart`, `trigger`. `file` names errors.
    public static func parse(json data: Data, file: String) throws -> SourceSettings {
        let raw: [String: RawSetting]
        do { raw = try JSONDecoder().decode([String: RawSetting].self, from: data) }
        catch let e as SettingProblem { throw SourceSettingsError(file: file, reason: e.text) }
        catch DecodingError.typeMismatch(_, let ctx), DecodingError.dataCorrupted(let ctx) {
            let path = ctx.codingPath.map(\.stringValue).joined(separator: ".")
            let reason = path.isEmpty ? "expected an object keyed by source ID" : "\(path): wrong type (\(ctx.debugDescription))"
            throw SourceSettingsError(file: file, reason: reason)
        } catch {
            throw SourceSettingsError(file: file, reason: "not valid JSON (\(error))")
        }
        var result = SourceSettings()
        for key in raw.keys.sorted() {
            guard let id = UInt16(key), TraceEvent.sourceRange.contains(id) else {
                throw SourceSettingsError(file: file, reason: "source '\(key)' is not an ID in 1...1023")
            }
            let r = raw[key]!
            var s = SourceSetting()
            if let o = r.owner {
                guard let v = SourceOwner(rawValue: o) else {
                    throw SourceSettingsError(file: file, reason: "source \(key): owner must be \"guest\" or \"host\", not \"\(o)\"")
                }
                s.owner = v
            }
            if let p = r.priority {
                guard (1...7).contains(p) else {
                    throw SourceSettingsError(file: file, reason: "source \(key): priority \(p) is outside 1...7")
                }
                s.priority = UInt32(p)
            }
            if let h = r.targetHart {
                guard (0..<64).contains(h) else {
                    throw SourceSettingsError(file: file, reason: "source \(key): target_hart \(h) is outside 0...63")
                }
                s.targetHart = UInt64(h)
            }
            if let t = r.trigger {
                guard let k = RequestKind(name: t) else {
                    throw SourceSettingsError(file: file, reason: "source \(key): trigger must be \"level\" or \"edge\", not \"\(t)\"")
                }
                s.trigger = k
            }
            result.settings[id] = s
        }
        return result
    }

    public static func load(path: String) throws -> SourceSettings {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) }
        catch { throw SourceSettingsError(file: path, reason: "cannot read (\((error as NSError).localizedDescription))") }
        return try parse(json: data, file: path)
    }
}

/// One source's object as written; unknown keys are refused.
private struct RawSetting: Decodable {
    var owner: String?
    var priority: Int?
    var targetHart: Int?
    var trigger: String?

    enum Key: String, CodingKey, CaseIterable { case owner, priority, target_hart, trigger }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: Decoder) throws {
        let all = try decoder.container(keyedBy: AnyKey.self)
        let source = decoder.codingPath.last?.stringValue ?? "?"
        for k in all.allKeys where Key(rawValue: k.stringValue) == nil {
            throw SettingProblem(text: "source \(source): unknown key '\(k.stringValue)' (known: owner, priority, target_hart, trigger)")
        }
        let c = try decoder.container(keyedBy: Key.self)
        owner = try c.decodeIfPresent(String.self, forKey: .owner)
        priority = try c.decodeIfPresent(Int.self, forKey: .priority)
        targetHart = try c.decodeIfPresent(Int.self, forKey: .target_hart)
        trigger = try c.decodeIfPresent(String.self, forKey: .trigger)
    }
}

private struct SettingProblem: Error { var text: String }

public struct SourceSettingsError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var reason: String
    public var description: String { "\(file): \(reason)" }
}
