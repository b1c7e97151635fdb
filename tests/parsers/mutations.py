"""Mutated copies of real invoices, for the differential tests against official stylesheets.

Each test brings its own ``mutate`` (which elements it alters is syntax-specific); the drawing
is one: a seeded generator picks a document and applies one to four mutations to a copy.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable, Sequence

from lxml import etree

Mutate = Callable[[etree._Element, random.Random], None]


def mutants(
    seeds: Sequence[etree._Element], *, count: int, seed: int, mutate: Mutate
) -> list[etree._Element]:
    """``count`` mutated copies of ``seeds``, the same ones for the same ``seed``."""
    rng = random.Random(seed)
    documents = []
    for _ in range(count):
        root = copy.deepcopy(rng.choice(seeds))
        for _ in range(rng.randint(1, 4)):
            mutate(root, rng)
        documents.append(root)
    return documents
