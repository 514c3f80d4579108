"""The process engine: the working-day calendar, publicity windows, evaluation
cycles, and the state machine every history follows.

    calendar.py    which days are working days (registry/calendar/<year>.yml)
    publicity.py   Art. 9: the 5-working-day publicity window
    evaluation.py  Art. 14: evaluation cycles (Civil Code Art. 202 due dates)
    machine.py     the declarative table of states, events and roles
    replay.py      walking a history through the table
"""
