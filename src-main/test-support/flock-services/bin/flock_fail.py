#!/usr/bin/python3
"""A daemon that cannot start (stand-in for hwmond on a host without a BMC). Run as a
Type=forking unit: it writes its reasons to stderr (the journal) and exits 1 before forking, so
`systemctl start` fails with "control process exited with error code" and `journalctl -u`
shows these lines. Usage: flock_fail.py NAME"""
import sys

NAME = sys.argv[1] if len(sys.argv) > 1 else 'flock-fail'
print(f'{NAME}: reading /etc/mtc/{NAME}d.conf', file=sys.stderr, flush=True)
print(f'{NAME}: error: no board management controller provisioned (bm_type=none)', file=sys.stderr, flush=True)
print(f'{NAME}: failed to initialise, exiting with status 1', file=sys.stderr, flush=True)
sys.exit(1)
