"""The validators package's exceptions: broken code or a broken engine, never "this report has a problem".

    ValidatorError
    ├── FrameContractError   a frame the checks made breaks its pandera contract
    ├── ExpectationError     a GX expectation raised instead of judging
    └── SpillError           a temporary file of the run's records could not be written or read
"""


class ValidatorError(Exception):
    """Base of every error the validators raise; the run cannot be trusted."""


class FrameContractError(ValidatorError):
    """A frame breaks its contract: the checks produced something the validators cannot judge."""


class ExpectationError(ValidatorError):
    """A GX expectation raised an exception; its verdict is unknown, so the run fails as a tool error."""


class SpillError(ValidatorError):
    """A temporary file a run keeps records in (``validators.spill``) failed: a full or read-only disk."""
