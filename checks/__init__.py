"""Turning a document into what can be judged: headings and parts, statistics and part/whole relations,
committee mentions, near-copy signatures, and the frames the validators read.

Plain functions of typed records; they never judge and never raise for a problem in a report.
"""
