"""The mutation score of the rule modules after `mutmut run` (`make mutate`).

Reads mutmut's results in mutants/ and prints, per mutated module, the mutants killed out of all, the
overall percentage, and every mutant that was not killed with the line it changes. A mutant that made
the tests run out of time counts as killed (the tests noticed it); one that no test reaches counts as
not killed. Exits 1 when the overall percentage is under --fail-under.

    python tests/mutation_report.py [--fail-under 90]
"""

import argparse
import json
import os
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KILLED = {1: "killed", 3: "killed", 36: "timeout", 24: "timeout", -24: "timeout", 152: "timeout", 255: "timeout"}
NOT_KILLED = {0: "survived", 5: "no tests", 33: "no tests", None: "not checked"}


def modules():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    return config["only_mutate"]


def results(module):
    meta = ROOT / "mutants" / f"{module}.meta"
    if not meta.exists():
        sys.exit(f"No mutmut results for {module} in mutants/: run `mutmut run` first (make mutate).")
    return json.loads(meta.read_text())["exit_code_by_key"]


def changed_lines(name, module):
    """The lines a mutant changes, as `-old` / `+new` (empty if mutmut cannot say)."""
    try:
        from mutmut.mutation.diff_apply import get_diff_for_mutant
    except ImportError:
        return []
    try:
        diff = get_diff_for_mutant(name, path=module)  # read from mutants/, relative to the project
    except Exception:  # the report must not fail on one odd mutant
        return []
    return [
        line.strip()
        for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---")) and line[1:].strip()
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fail-under", type=float, default=0, help="exit 1 under this overall percentage")
    args = parser.parse_args()
    os.chdir(ROOT)

    rows, survivors = [], []
    for module in modules():
        codes = results(module)
        killed = sum(1 for code in codes.values() if code in KILLED)
        unchecked = sum(1 for code in codes.values() if code is None)
        rows.append((module, killed, len(codes), unchecked))
        for name, code in sorted(codes.items(), key=lambda item: int(item[0].rpartition("_")[2])):
            if code not in KILLED and code is not None:
                survivors.append((module, name, NOT_KILLED.get(code, f"exit code {code}")))

    width = max(len(row[0]) for row in rows)
    print(f"{'module':<{width}}  killed/total      %")
    for module, killed, total, unchecked in rows:
        percent = 100 * killed / total if total else 100.0
        note = f"  ({unchecked} not run yet)" if unchecked else ""
        print(f"{module:<{width}}  {killed:>6}/{total:<5} {percent:6.1f}{note}")
    killed = sum(row[1] for row in rows)
    total = sum(row[2] for row in rows)
    unchecked = sum(row[3] for row in rows)
    overall = 100 * killed / total if total else 100.0
    print(f"{'overall':<{width}}  {killed:>6}/{total:<5} {overall:6.1f}")
    if unchecked:
        checked = total - unchecked
        print(f"(an unfinished run: {unchecked} mutants not run yet; {killed} of the {checked} run were killed)")

    print(f"\nNot killed: {len(survivors)}")
    for module, name, status in survivors:
        print(f"  {name} ({status})")
        for line in changed_lines(name, module):
            print(f"      {line}")

    if unchecked or overall < args.fail_under:
        print(f"\nThe mutation score {overall:.1f}% is under {args.fail_under:g}%, or the run is unfinished.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
