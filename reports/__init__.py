"""Writing results: text, JSON and SARIF (``text``, ``json``, ``sarif``) and the HTML report (``html``).

Writers read ``RunResult`` records (or the JSON data made of them); they never change a finding.
"""
