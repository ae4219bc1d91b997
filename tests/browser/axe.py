"""Run axe-core in the page and keep the violations that block people: serious and critical."""

from axe_playwright_python.sync_playwright import Axe

BLOCKING_IMPACTS = {"serious", "critical"}
_axe = Axe()


def blocking_violations(page, context=None):
    """`context` narrows the scan as axe.run's does, e.g. {"include": [["#content-main"]]}. The scan
    waits for the whole page (parsed, deferred scripts run, styles in): half a page would pass or fail
    by how fast the machine is."""
    page.wait_for_load_state("load")
    results = _axe.run(page, context=context)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
