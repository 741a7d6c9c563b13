"""Pure rules of the disclosure board (no Django import): the hash chain, the life of
an entry, objections and reply due dates, the periodic schedule, the settings' floors.
"""
