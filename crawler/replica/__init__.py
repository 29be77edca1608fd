"""A replica of the two target sites, served by a real HTTP server on loopback, for tests and benchmarks.

``serve(port=0, faults=...)`` starts it and returns a ``Replica`` with the sites' ``base_urls``; the pages
are built from the texts in ``data/`` by ``crawler.replica.site``. It must never depend on files outside
the package, so the installed tool can run ``wrqa demo-sites`` anywhere.
"""

from crawler.replica.server import Replica, serve

__all__ = ["Replica", "serve"]
