"""Cross-checking: statements of different outlets linked into facts (corroborated,
single-source, disputed), and claims checked against articles.

``statements`` splits an article into checkable statements; ``facts`` links them across
outlets with the pair model; ``claims`` says whether an article agrees with, refutes or
discusses a claim, with the sentence ``stance`` model's help.
"""

from storydesk.crosscheck.claims import ClaimCheck, check, check_many
from storydesk.crosscheck.facts import CrossCheck, cross_check
from storydesk.crosscheck.statements import Statement, split_statements

__all__ = [
    "ClaimCheck",
    "CrossCheck",
    "Statement",
    "check",
    "check_many",
    "cross_check",
    "split_statements",
]
