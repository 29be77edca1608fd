"""Judging documents: the pandera schemas and GX suites over the checks' frames, and the findings they make.

``validate``, ``validate_analyses`` and ``engines_for`` live in ``validators.judge``; they are imported
from there when first asked for, so that importing ``validators.records`` or ``validators.catalogue``
(the model of a run, the rules) never loads pandas, pandera or the crawler. This package must never read
files or the network.

    ValidatorError (validators.errors)
    ├── FrameContractError   a frame the checks made breaks its pandera contract
    └── ExpectationError     a GX expectation raised instead of judging
"""

from __future__ import annotations

from validators.errors import ExpectationError, FrameContractError, ValidatorError

__all__ = ["validate", "validate_analyses", "engines_for", "ValidatorError", "FrameContractError", "ExpectationError"]


def __getattr__(name: str):
    if name in ("validate", "validate_analyses", "engines_for", "SUITES"):
        from validators import judge

        return getattr(judge, name)
    raise AttributeError(f"module 'validators' has no attribute {name!r}")
