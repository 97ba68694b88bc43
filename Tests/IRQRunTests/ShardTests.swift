import IRQRun
import Testing

/// `--shard i/N`: N parts that are disjoint, complete and balanced, the same on any machine, and
/// the part a Slurm array task runs.
struct ShardTests {
    @Test func partsAreDisjointCompleteAndBalanced() throws {
        for total in [0, 1, 2, 5, 7, 12, 25, 100, 1001] {
            for n in [1, 2, 3, 4, 5, 7, 16] {
                var owner = [Int](repeating: -1, count: total)
                var sizes: [Int] = []
                for i in 0..<n {
                    let shard = try Shard(index: i, count: n)
                    let mine = Array(shard.replays(of: total))
                    #expect(mine == mine.sorted(), "in increasing order")
                    #expect(mine.count == shard.size(of: total))
                    for j in mine {
                        #expect(owner[j] == -1, "replay \(j) is in two parts")
                        owner[j] = i
                        #expect(shard.contains(j))
                    }
                    sizes.append(mine.count)
                }
                #expect(!owner.contains(-1), "every replay is in a part (total \(total), \(n) parts)")
                #expect(sizes.max()! - sizes.min()! <= 1, "sizes \(sizes)")
            }
        }
    }

    /// Blocks of N replays, each rotated by one: the split is a fixed function of (j, N).
    @Test func theDealIsRotatedBlockByBlock() {
        #expect((0..<10).map { Shard.part(of: $0, count: 5) } == [0, 1, 2, 3, 4, 1, 2, 3, 4, 0])
        #expect((0..<6).map { Shard.part(of: $0, count: 2) } == [0, 1, 1, 0, 0, 1])
    }

    /// With 5 strategies and 5 parts, plain round-robin would give part i only strategy i (host-end's
    /// storms in one part); the rotation gives every part every strategy.
    @Test func aPartGetsEveryStrategyWhenTheCountsAlign() throws {
        for i in 0..<5 {
            let strategies = Set(try Shard(index: i, count: 5).replays(of: 100).map { $0 % 5 })
            #expect(strategies.count == 5)
        }
    }

    @Test func parsesIOverN() throws {
        #expect(try Shard(parsing: "2/4") == Shard(index: 2, count: 4))
        for bad in ["4/4", "-1/4", "1/0", "1", "a/b", "1/2/3", ""] {
            #expect(throws: GridError.self) { try Shard(parsing: bad) }
        }
    }

    @Test func slurmArrayVariablesNameThePart() throws {
        #expect(try Shard.fromSlurm([:]) == nil)
        let plain = ["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "3", "SLURM_ARRAY_TASK_COUNT": "4"]
        #expect(try Shard.fromSlurm(plain) == Shard(index: 2, count: 4))
        let stepped = ["SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_STEP": "2",
                       "SLURM_ARRAY_TASK_COUNT": "4"]
        #expect(try Shard.fromSlurm(stepped) == Shard(index: 3, count: 4))
        #expect(throws: GridError.self) { try Shard.fromSlurm(["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_MIN": "0"]) }
        // A list array (--array=1,5,9): ids do not number the tasks.
        #expect(throws: GridError.self) {
            try Shard.fromSlurm(["SLURM_ARRAY_TASK_ID": "9", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "3"])
        }
    }
}

/// The sweep's progress line: done/total, rate and ETA from the rate so far.
struct SweepProgressTests {
    @Test func etaFollowsTheRateSoFar() {
        #expect(SweepProgress.text(done: 0, total: 2000, elapsedNs: 0) == "sweep 0/2000 replays (0%)")
        // 100 replays in 8 s: 12.5/s, 1900 left: 152 s.
        #expect(SweepProgress.text(done: 100, total: 2000, elapsedNs: 8_000_000_000) == "sweep 100/2000 replays (5%), 13/s, ETA 2m32s")
        #expect(SweepProgress.text(done: 3, total: 10, elapsedNs: 2_000_000_000) == "sweep 3/10 replays (30%), 1.5/s, ETA 5s")
        #expect(SweepProgress.text(done: 1, total: 10_000, elapsedNs: 1_000_000_000) == "sweep 1/10000 replays (0%), 1.0/s, ETA 2h46m")
    }
}
