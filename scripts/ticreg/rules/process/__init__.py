"""Family F: the procedure of Articles 9, 14, 15 and 16 over time.

    lifecycle.py            histories follow the state tables; publicity windows; evaluation cycles
    certification_links.py  a certified application and its center agree
    after_certification.py  Art. 10 transitions, Art. 14 support and recommendations
    certification_refs.py   a certification names its own new center, under a well-formed number
    change_links.py         an Art. 15 change belongs to its center, which records what was approved
    timeliness.py           objections inside the window, the evaluator, calendar years present

Importing the package registers every F rule.
"""

from . import after_certification, certification_links, certification_refs, change_links, lifecycle, timeliness  # noqa: F401  (importing them registers their rules)
