"""The crawler package's exceptions. Each message is one sentence naming the offending value and the fix.

    CrawlerError
    ├── InputError        a local file or folder that cannot be read as a report
    ├── FetchError        a page that could not be fetched (network, status, size, robots, foreign host)
    │   ├── ChallengeError    the server answered with an anti-bot JavaScript challenge
    │   └── UnreachableError  the host cannot be used this run (its robots.txt cannot be read)
    ├── ParseError        a page whose layout the adapter does not recognise
    └── StoreError        the SQLite store or WARC archive cannot be used
"""


class CrawlerError(Exception):
    """Base of every error the crawler package raises on purpose."""


class InputError(CrawlerError):
    """A local input that cannot be read; ``path`` is the input as shown to people, the message names it too.

    Both travel in ``args``, so the error pickles: worker processes send it back to the one that reports.
    """

    def __init__(self, path: str, message: str) -> None:
        super().__init__(path, message)
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return self.message


class FetchError(CrawlerError):
    """A page that could not be fetched; the message names the URL."""


class ChallengeError(FetchError):
    """The server answered with an anti-bot JavaScript challenge page instead of content."""


class UnreachableError(FetchError):
    """A host that cannot be crawled this run: its robots.txt answered 5xx or could not be reached."""


class ParseError(CrawlerError):
    """A page whose layout the adapter does not recognise; the message names the URL."""


class StoreError(CrawlerError):
    """The store or the archive cannot be used; the message names the path."""
