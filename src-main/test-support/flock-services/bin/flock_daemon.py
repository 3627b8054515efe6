#!/usr/bin/python3
"""A Flock back-end daemon stand-in (sysinv-conductor, fminit/fmManager): logs that it started,
then a heartbeat line every $FLOCK_HEARTBEAT seconds (default 60) until SIGTERM, which it logs.
Usage: flock_daemon.py NAME"""
import os
import signal
import sys
import time

NAME = sys.argv[1] if len(sys.argv) > 1 else 'flock-daemon'


def stop(signum, _frame):
    print(f'{NAME}: received {signal.Signals(signum).name}, stopping', flush=True)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
print(f'{NAME}: started (pid {os.getpid()})', flush=True)
beat = float(os.environ.get('FLOCK_HEARTBEAT') or 60)
n = 0
while True:
    time.sleep(beat)
    n += 1
    print(f'{NAME}: heartbeat {n}', flush=True)
