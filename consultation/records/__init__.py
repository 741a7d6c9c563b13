"""Decision records: matters, the 四议两公开 procedure, meetings, residents' proposals."""
