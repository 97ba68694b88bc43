/// Part `index` of `count` disjoint, balanced parts of a sweep's replays.
///
/// Replay j (in the sweep's order) belongs to part `(j % count + j / count) % count`: the replays
/// are dealt in blocks of `count`, each block rotated by one more than the last. Every block hands
/// one replay to each part, so part sizes differ by at most one; the rotation keeps a part from
/// getting the same strategy (or trace) at every grid point when `count` divides the number of
/// strategies, which would make parts very unequal in time (host-end storms cost far more than
/// the others). The split depends only on j and `count`: the same on any machine.
public struct Shard: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) throws(GridError) {
        guard count >= 1 else { throw GridError("shard count must be >= 1") }
        guard index >= 0 && index < count else { throw GridError("shard \(index)/\(count): i must be 0...\(count - 1)") }
        self.index = index
        self.count = count
    }

    /// The whole sweep as one part.
    public static let whole = try! Shard(index: 0, count: 1)

    public var description: String { "\(index)/\(count)" }

    /// `i/N`, 0 <= i < N.
    public init(parsing text: String) throws(GridError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw GridError("--shard \(text): expected i/N (e.g. 0/4)")
        }
        try self.init(index: i, count: n)
    }

    /// The part a Slurm job array task runs: task `(SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN) /
    /// SLURM_ARRAY_TASK_STEP` of `SLURM_ARRAY_TASK_COUNT`. Nil when not in a job array.
    public static func fromSlurm(_ environment: [String: String]) throws(GridError) -> Shard? {
        guard let idText = environment["SLURM_ARRAY_TASK_ID"] else { return nil }
        func number(_ name: String) throws(GridError) -> Int {
            guard let t = environment[name] else {
                throw GridError("SLURM_ARRAY_TASK_ID is set but \(name) is not: pass --shard i/N")
            }
            guard let v = Int(t) else { throw GridError("\(name)=\(t) is not a number: pass --shard i/N") }
            return v
        }
        guard let id = Int(idText) else { throw GridError("SLURM_ARRAY_TASK_ID=\(idText) is not a number: pass --shard i/N") }
        let min = try number("SLURM_ARRAY_TASK_MIN"), count = try number("SLURM_ARRAY_TASK_COUNT")
        let step = environment["SLURM_ARRAY_TASK_STEP"].flatMap(Int.init) ?? 1
        guard step >= 1, (id - min) % step == 0, (id - min) / step >= 0, (id - min) / step < count else {
            throw GridError("cannot number this task from SLURM_ARRAY_TASK_ID=\(id), _MIN=\(min), _STEP=\(step), _COUNT=\(count) "
                + "(an array such as --array=0-7 or 1-8:1 numbers its tasks; for a list like --array=1,5,9 pass --shard i/N)")
        }
        return try Shard(index: (id - min) / step, count: count)
    }

    /// The part replay `j` belongs to.
    @inline(__always)
    public static func part(of j: Int, count: Int) -> Int { (j % count + j / count) % count }

    public func contains(_ j: Int) -> Bool { Shard.part(of: j, count: count) == index }

    /// The k-th replay of this part, in increasing order: in block k, the one dealt to it.
    @inline(__always)
    public func replay(_ k: Int) -> Int { k * count + ((index - k) % count + count) % count }

    /// This part's replays in increasing order, out of `total`.
    public func replays(of total: Int) -> LazyMapSequence<Range<Int>, Int> {
        (0..<size(of: total)).lazy.map { self.replay($0) }
    }

    /// How many of `total` replays are in this part.
    public func size(of total: Int) -> Int {
        let blocks = total / count, rest = total % count
        // The last, partial block hands its r replays to parts (k + blocks) % count for k < r.
        let extra = ((index - blocks) % count + count) % count < rest ? 1 : 0
        return blocks + extra
    }
}
