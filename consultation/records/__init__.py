"""Decision records: matters, 四议两公开, meetings, residents' proposals."""
