"""Community duties (社区减负, issue 14): the two lists, admission (准入) of work
outside them, certificates and the community seal, meetings and ledgers, the burden
board and the assessment by residents. RULES.md §7."""
