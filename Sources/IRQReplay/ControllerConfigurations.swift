/// The controller configurations irqbench models side by side: which interrupt controller the
/// hypervisor drives (`irqchip`) and which one the guest sees (`guest_irqchip`).
extension Scenario {
    /// The configurations the main job replays, in documentation order (docs/model.md: the PLIC,
    /// then each family's parts). A label names each one (`controllerLabel`).
    public static let controllerConfigurations: [String] = [
        "plic", "aplic-direct", "aplic-msi", "aplic-msi/vaplic-msi", "gicv2",
    ]

    /// This scenario's controllers as a short label: the irqchip, and the guest's view after a
    /// slash when it is not the default (`aplic-msi/vaplic-msi`). Tables and file names use it.
    public var controllerLabel: String {
        let d = Scenario()
        return irqchip.rawValue + (guestIRQChip == d.guestIRQChip ? "" : "/" + guestIRQChip.rawValue)
    }

    /// Sets the controllers named by `label` (`irqchip[/guest_irqchip]`).
    public mutating func setControllers(_ label: String) throws(ScenarioError) {
        let parts = label.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2, !parts[0].isEmpty else {
            throw .badValue(name: "controllers", value: label, reason: "expected IRQCHIP or IRQCHIP/GUEST_IRQCHIP")
        }
        try set("irqchip", parts[0])
        try set("guest_irqchip", parts.count == 2 ? parts[1] : Scenario().guestIRQChip.rawValue)
    }
}
