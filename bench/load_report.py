"""The figures of `make load` (load.py): the stored answers against those sent, and the latency
percentiles per page kind."""

import math
from collections import defaultdict


def compare_answers(learners, stored):
    """Print how the stored answers compare with those sent; return the problems found."""
    mismatched = [learner for learner in learners if stored.get(learner.username, {}) != learner.sent]
    sent = sum(len(learner.sent) for learner in learners)
    kept = sum(len(answers) for answers in stored.values())
    print(
        f"answers: {sent} sent, {kept} stored; identical for {len(learners) - len(mismatched)}/{len(learners)} learners"
    )
    if not mismatched:
        return []
    example = mismatched[0]
    theirs = stored.get(example.username, {})
    differing = sorted(n for n in example.sent.keys() | theirs.keys() if example.sent.get(n) != theirs.get(n))
    return [
        f"the database does not hold exactly the answers sent for {len(mismatched)} learners (e.g. "
        f"{example.username}: sent {len(example.sent)}, stored {len(theirs)}, questions {differing} differ)"
    ]


def percentile(sorted_values, share):
    return sorted_values[max(0, math.ceil(share * len(sorted_values)) - 1)]


def latency_rows(samples):
    groups = defaultdict(list)
    for sample in samples:
        groups[sample.kind].append(sample.seconds)
        groups["all requests"].append(sample.seconds)
    for kind, values in sorted(groups.items(), key=lambda item: (item[0] == "all requests", item[0])):
        values.sort()
        yield kind, len(values), *(1000 * percentile(values, share) for share in (0.50, 0.95, 0.99))
