#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
#
# Asks a running DPDK process's telemetry socket (the v2 protocol that
# dpdk-telemetry.py speaks: a SOCK_SEQPACKET Unix socket that greets with a
# JSON object, then answers each command with one) and prints
# {"command": reply, ...} as one JSON object. Waits up to 10 s for the
# socket to appear.
#
# usage: telemetry_query.py SOCKET_PATH COMMAND...
import json
import socket
import sys
import time

path = sys.argv[1]
deadline = time.monotonic() + 10
while True:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        s.connect(path)
        break
    except OSError:
        s.close()
        if time.monotonic() > deadline:
            sys.exit("telemetry_query: cannot connect to " + path)
        time.sleep(0.1)
greeting = json.loads(s.recv(1 << 16).decode())
if "max_output_len" not in greeting:
    sys.exit("telemetry_query: unexpected greeting " + json.dumps(greeting))
out = {}
for cmd in sys.argv[2:]:
    s.send(cmd.encode())
    out.update(json.loads(s.recv(greeting["max_output_len"]).decode()))
s.close()
print(json.dumps(out))
