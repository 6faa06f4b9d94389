"""The national migration data plan of an assessment round (issue 9).

generate.py turns a round's data into a PlanDocument (pure); services.py reads
and edits the plan; progress.py starts the next round and compares rounds;
learning.py links gaps to course modules and workshops; benchmark.py holds the
opt-in anonymised aggregates; export_*.py format the one PlanDocument as PDF,
DOCX, Markdown, XLSX and CSV; routes.py adds the pages to the assessments
blueprint; cli.py is `flask plans export`.
"""
