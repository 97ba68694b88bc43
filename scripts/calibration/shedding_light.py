#!/usr/bin/env python3
"""Derive the calibration numbers of docs/validation.md from the Shedding Light raw data.

Input (read, never copied into this project: the artifact carries no license):
  repository  https://github.com/ESRGv3/shedding-light-static-partitioning-hypervisors
  commit      3e2f006c0473e1324939b67eed6a44c1d489912d ("initial commit"; the data files were
              deleted again later, so HEAD does not have them)
  files       experiments/irqlat/irqlat-base/<hyp>+solo   irqlat, irqlat-end (4 blocks x 50 samples)
              experiments/irqlat/irqlat-di/<hyp>+solo     the same with direct injection
              experiments/irqlat/ipi/<hyp>                trap-lat, sgi-lat (4 x 50), then after the
                                                          TARGET line ipi-lat (4 x 50)
              experiments/irqlat/irqstorm/<hyp>           50 runs x 16 handler positions
  paper       J. Martins, S. Pinto, "Shedding Light on Static Partitioning Hypervisors for Arm-based
              Mixed-Criticality Systems", RTAS 2023.
Units: every raw value is a count of the 100 MHz generic timer (10 ns); the artifact's own plot
scripts multiply by 10 (irqlat.py, ipi.py, irqstorm.py), and so does this one.

Usage:  scripts/calibration/shedding_light.py GIT_DIR [--commit C] [--csv OUT]
GIT_DIR is a clone or bare mirror of the repository above. Prints the tables; --csv writes every
derived number as quantity,hypervisor,n,mean,min,max (the file committed beside this script).
"""
import argparse
import statistics
import subprocess
import sys

COMMIT = "3e2f006c0473e1324939b67eed6a44c1d489912d"
TICK_NS = 10
SPIKE_NS = 1500  # an irqstorm interval above this is a refill spike (baseline ~630, spikes >= 2000)
FIRST_STEADY = 2  # positions 0 and 1 hold the two batches' traps, not refills


def blob(git_dir, commit, path):
    r = subprocess.run(["git", "--git-dir", git_dir, "show", f"{commit}:{path}"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"error: {path} at {commit[:7]}: {r.stderr.strip()}")
    return r.stdout.splitlines()


def is_rule(line):
    s = line.strip()
    return len(s) > 0 and set(s) <= set("-") or "TARGET" in s


def columns(lines, wanted):
    """Values of the named columns over every block of the file (blocks start after a rule of
    dashes with a header line); returns {column: [ns, ...]}."""
    out = {w: [] for w in wanted}
    header = None
    for line in lines:
        if is_rule(line):
            header = None
            continue
        fields = line.split()
        if not fields:
            continue
        if header is None:
            if all(f.replace("-", "").replace("$", "").replace("_", "").isalnum() for f in fields) \
                    and not fields[0].isdigit():
                header = fields
            continue
        if not all(f.isdigit() for f in fields):
            continue  # trailer such as "Press 's' to start..."
        for w in wanted:
            if w in header:
                out[w].append(int(fields[header.index(w)]) * TICK_NS)
    return out


def split_target(lines):
    i = next(n for n, l in enumerate(lines) if "TARGET" in l)
    return lines[:i], lines[i + 1:]


def storm_runs(lines):
    """The 50 runs x 16 positions of an irqstorm file, plus its priority-order line."""
    order = next((l.strip() for l in lines if l.startswith("priority order passed")), "")
    runs = []
    seen_header = False
    for line in lines:
        fields = line.split()
        if fields == [str(i) for i in range(16)]:
            seen_header = True
            continue
        if seen_header and len(fields) == 16 and all(f.isdigit() for f in fields):
            runs.append([int(f) * TICK_NS for f in fields])
    return runs, order


def summary(values):
    return len(values), statistics.fmean(values), min(values), max(values)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("git_dir")
    ap.add_argument("--commit", default=COMMIT)
    ap.add_argument("--csv")
    a = ap.parse_args()
    rows = []  # (quantity, hypervisor, n, mean, min, max)

    def add(q, h, values):
        n, m, lo, hi = summary(values)
        rows.append((q, h, n, m, lo, hi))

    for hyp in ["baremetal", "bao", "jailhouse", "xen", "sel4"]:
        c = columns(blob(a.git_dir, a.commit, f"experiments/irqlat/irqlat-base/{hyp}+solo"),
                    ["irqlat", "irqlat-end"])
        add("irqlat", hyp, c["irqlat"])
        add("irqlat_end_minus_irqlat", hyp, [e - s for s, e in zip(c["irqlat"], c["irqlat-end"])])
    for hyp in ["bao", "jailhouse"]:
        c = columns(blob(a.git_dir, a.commit, f"experiments/irqlat/irqlat-di/{hyp}+solo"),
                    ["irqlat", "irqlat-end"])
        add("irqlat_di", hyp, c["irqlat"])
        add("irqlat_di_end_minus_irqlat", hyp, [e - s for s, e in zip(c["irqlat"], c["irqlat-end"])])
    for hyp in ["baremetal", "bao", "jailhouse", "xen", "sel4"]:
        trap, target = split_target(blob(a.git_dir, a.commit, f"experiments/irqlat/ipi/{hyp}"))
        c = columns(trap, ["trap-lat", "sgi-lat"])
        add("ipi_trap_lat", hyp, c["trap-lat"])
        add("ipi_sgi_lat", hyp, c["sgi-lat"])
        add("ipi_ipi_lat", hyp, columns(target, ["ipi-lat"])["ipi-lat"])

    spikes = {}
    orders = {}
    for hyp in ["baremetal", "bao", "xen", "jailhouse", "sel4"]:
        runs, order = storm_runs(blob(a.git_dir, a.commit, f"experiments/irqlat/irqstorm/{hyp}"))
        if len(runs) != 50:
            sys.exit(f"error: irqstorm/{hyp}: {len(runs)} runs, expected 50")
        orders[hyp] = order
        for p in range(16):
            add(f"irqstorm_pos{p}", hyp, [r[p] for r in runs])
        add("irqstorm_nonspike_pos2_15", hyp,
            [r[p] for r in runs for p in range(2, 16) if p not in (4, 7, 10, 13)])
        sets = {}
        for r in runs:
            key = tuple(p for p in range(FIRST_STEADY, 16) if r[p] > SPIKE_NS)
            sets[key] = sets.get(key, 0) + 1
        spikes[hyp] = sets

    print(f"# Shedding Light raw data at {a.commit[:7]} (ns; mean, min-max, n samples)")
    for q, h, n, m, lo, hi in rows:
        print(f"{q:28s} {h:10s} n={n:3d} mean={m:10.2f} range={lo}-{hi}")
    print(f"\n# irqstorm: positions {FIRST_STEADY}-15 above {SPIKE_NS} ns per run (set: number of runs), and the files' own order check")
    for h, sets in spikes.items():
        print(f"{h:10s} " + "; ".join(f"{list(k)}: {v}" for k, v in sorted(sets.items())) + f"  | {orders[h]}")
    if a.csv:
        with open(a.csv + ".tmp", "w") as f:
            f.write(f"# ns unless the quantity says runs; derived by scripts/calibration/shedding_light.py from ESRGv3/shedding-light-static-partitioning-hypervisors@{a.commit}\n")
            f.write("quantity,hypervisor,n,mean_ns,min_ns,max_ns\n")
            for q, h, n, m, lo, hi in rows:
                f.write(f"{q},{h},{n},{m:.2f},{lo},{hi}\n")
            # For these rows n is the number of runs and mean_ns holds a count of runs, not ns.
            for h, sets in spikes.items():
                for k, v in sorted(sets.items()):
                    f.write(f"irqstorm_runs_with_spikes_at_{'-'.join(map(str, k)) or 'none'},{h},50,{v},,\n")
            for h, line in orders.items():
                passed = int(line.split("passed")[1].split("/")[0])
                f.write(f"irqstorm_runs_priority_order_passed,{h},50,{passed},,\n")
        import os
        os.replace(a.csv + ".tmp", a.csv)


if __name__ == "__main__":
    main()
