"""Getting documents in: local files and the two sites, fetched, adapted, normalized and stored.

The road: ``files``/``htmltext`` (local inputs) or ``http`` → ``epoint``/``hppc`` (site adapters) →
``normalize`` → ``store``/``archive``; ``crawl`` drives a run, ``urls`` gives every link its key and
``markup`` bounds every page before it is parsed. Only ``http`` imports httpx (its sockets are
``network``'s, where every wait is bounded). Nothing here judges a document; errors are drawn in
``crawler.errors``.
"""
