"""居务公开: the disclosure board, objections, the hash-chained log, notices."""
