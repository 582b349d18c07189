#!/usr/bin/python3
"""Runs a command under the system-call filter of voxca.service, as systemd would apply it:
SystemCallFilter=<allow sets> then ~<deny sets>, SystemCallErrorNumber=EPERM, native only.
With --deny-write-execute, also what MemoryDenyWriteExecute=yes does: no mapping both writable and
executable. Usage: syscall-sandbox.py UNIT [--deny-write-execute] -- COMMAND...
(needs python3-seccomp and systemd-analyze)"""
import errno
import os
import subprocess
import sys

import seccomp

PROT_WRITE, PROT_EXEC = 0x2, 0x4
WX = PROT_WRITE | PROT_EXEC


def expand(name, seen=None):
    """The system calls a set such as @system-service names, as systemd-analyze lists them."""
    seen = set() if seen is None else seen
    if not name.startswith("@"):
        return {name}
    if name in seen:
        return set()
    seen.add(name)
    out = subprocess.run(["systemd-analyze", "syscall-filter", name],
                         capture_output=True, text=True, check=True).stdout
    calls = set()
    for line in out.splitlines()[1:]:
        word = line.strip()
        if word and not word.startswith("#"):
            calls |= expand(word, seen)
    return calls


def unit_filter(unit):
    allow, deny = set(), set()
    for line in open(unit):
        line = line.strip()
        if line.startswith("SystemCallFilter="):
            value = line.split("=", 1)[1]
            if value.startswith("~"):
                for name in value[1:].split():
                    deny |= expand(name)
            else:
                for name in value.split():
                    allow |= expand(name)
    return allow - deny


def main():
    args = sys.argv[1:]
    unit = args.pop(0)
    deny_wx = args[0] == "--deny-write-execute"
    if deny_wx:
        args.pop(0)
    assert args and args[0] == "--" and len(args) > 1, __doc__
    command = args[1:]
    allowed = unit_filter(unit)
    f = seccomp.SyscallFilter(defaction=seccomp.ERRNO(errno.EPERM))
    known = 0
    for call in sorted(allowed):
        try:
            if deny_wx and call in ("mmap", "mprotect", "pkey_mprotect"):
                for prot in (0, PROT_WRITE, PROT_EXEC):
                    f.add_rule(seccomp.ALLOW, call, seccomp.Arg(2, seccomp.MASKED_EQ, WX, prot))
            else:
                f.add_rule(seccomp.ALLOW, call)
            known += 1
        except (RuntimeError, ValueError, OSError):
            pass  # a name this architecture does not have
    print(f"syscall-sandbox: {known} system calls allowed", file=sys.stderr)
    f.load()
    os.execvp(command[0], command)


main()
