"""Pure rules of decision records (no Django import): the 四议两公开 procedure as a
state machine (``procedure``), the matters that must go through it
(``categories``), which decision rule judges each kind of meeting (``meetings``) and
how support for a residents' proposal reads against its convening threshold
(``support``)."""
