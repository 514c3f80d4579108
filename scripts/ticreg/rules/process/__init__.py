"""Family F: the procedure of Articles 9, 14, 15 and 16 over time.

    lifecycle.py            histories follow the state tables; publicity windows; evaluation cycles
    certification_links.py  a certified application and its center agree
    after_certification.py  Art. 10 transitions, Art. 14 support and recommendations

Importing the package registers every F rule.
"""

from . import after_certification, certification_links, lifecycle  # noqa: F401  (importing them registers their rules)
