from hypothesis import settings

# Timing is for bench/, not tests: no per-example deadline, so a busy CI machine can't
# turn a slow first example (e.g. building a year's bank holidays) into a failure.
settings.register_profile("caseaudit", deadline=None)
settings.load_profile("caseaudit")
