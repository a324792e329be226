"""Rehearsal: practise a difficult conversation with a counterpart, with feedback on each turn."""
