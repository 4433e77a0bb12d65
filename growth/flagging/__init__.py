"""The nightly flagging job: statuses and the follow-up list from the latest measurements.

rules.py decides (pure NumPy); pg.py and orm.py read and write a chunk (PostgreSQL fast
path, portable path); jobs.py plans, runs and closes a run; growth/tasks.py schedules it.
"""
