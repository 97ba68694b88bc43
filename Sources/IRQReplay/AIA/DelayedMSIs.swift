import IRQCore

/// MSIs in flight for `msi_latency` ns (docs/model.md Part A, A.4): each MSI the APLIC sends is a
/// family happening of the machine, scheduled at the send (so it keeps its place in the order of
/// its instant) and delivered into the IMSIC when due. One constant delay, so the queue's order is
/// time order.
final class DelayedMSIs: MSIReceiver, @unchecked Sendable {
    static let code: UInt8 = 1
    /// The machine owns this receiver (through its chip); it never outlives the machine.
    unowned let machine: AIAMachine

    init(machine: AIAMachine) { self.machine = machine }

    func receiveMSI(hart: Int, file: Int, eiid: Int, edge: Bool) {
        let m = machine
        m.familyEvents.append(FamilyEvent(
            time: m.now + m.scenario.msiLatency, seq: m.nextSeq(), code: Self.code,
            a: Int32(hart << 8 | file), b: Int32(eiid | (edge ? 1 << 16 : 0))))
    }
}

extension AIAMachine {
    /// An MSI reaches its interrupt file: a state change (it moves `sim_end`).
    func msiArrives(_ e: FamilyEvent) {
        precondition(e.code == DelayedMSIs.code)
        m.simEnd = now
        platform.delivery.receiveMSI(hart: Int(e.a >> 8), file: Int(e.a & 0xFF), eiid: Int(e.b & 0xFFFF),
                                     edge: e.b >> 16 != 0)
    }
}
