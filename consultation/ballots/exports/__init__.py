"""Documents of a ballot: tally sheets (计票表) as PDF and XLSX, who-voted lists.

One module per format, around one data builder:

* ``sheet``: ``tally_sheet(ballot)``, the dict every tally-sheet renderer reads;
* ``pdf``: the A4 PDF (WeasyPrint, no network);
* ``xlsx``: the tally sheet and the who-voted list as spreadsheets;
* ``voters``: ``voter_list(ballot)`` and its CSV;
* ``labels``: the display names these documents (and the ballot pages) print.

Everything here reads; nothing writes. A published ballot is always exported from its
frozen ``PublishedTally.result`` (never a recount). Privacy: no phone or ID-card
number is ever read here. The published-tally JSON API is ``consultation.ballots.api``.
"""

from .labels import channel_label
from .pdf import tally_sheet_html, tally_sheet_pdf
from .sheet import tally_sheet
from .voters import VoterList, voter_list, voter_list_csv
from .xlsx import tally_sheet_xlsx, voter_list_xlsx

__all__ = [
    "VoterList",
    "channel_label",
    "tally_sheet",
    "tally_sheet_html",
    "tally_sheet_pdf",
    "tally_sheet_xlsx",
    "voter_list",
    "voter_list_csv",
    "voter_list_xlsx",
]
