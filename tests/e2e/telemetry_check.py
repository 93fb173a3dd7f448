#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
#
# Checks the /wirebook/ telemetry replies (telemetry_query.py's output) of a
# daemon that received one capture of one MoldUDP64 session once, against
# the 'wirebook replay --stats' output for that capture: the messages and
# the book counters must be exactly the replay's, with traffic in every
# section.
#
# usage: telemetry_check.py TELEMETRY.json REPLAY.stats
import json
import sys

tel = json.load(open(sys.argv[1]))
ref = {}
for line in open(sys.argv[2]):
    if "\t" in line:
        k, v = line.rstrip("\n").split("\t", 1)
        ref[k] = int(v)

st = tel["/wirebook/stats"]
# Each channel carries its exact name ("itch-a": DPDK would drop it as a
# dictionary key, so the key is made valid); /wirebook/channel,NAME answers
# the same for one.
chs = [c for c in tel["/wirebook/channels"].values() if c["name"] == "itch-a"]
if len(chs) != 1:
    sys.exit("telemetry_check: channel itch-a not listed: %s" % json.dumps(tel["/wirebook/channels"]))
ch = chs[0]
one = tel["/wirebook/channel"]
if one.get("name") != "itch-a" or one["messages"] != ch["messages"]:
    sys.exit("telemetry_check: /wirebook/channel,itch-a: %s" % json.dumps(one))
lc = tel["/wirebook/lcores"]["lcore1"]
pt = tel["/wirebook/ports"]["port0"]


def check(ok, what, got):
    if not ok:
        sys.exit("telemetry_check: %s: %s" % (what, json.dumps(got)))


check(st["rx_packets"] == ref["input.records"], "stats: rx_packets != the capture's", st)
check(st["dup_packets"] == 0, "stats: duplicates in one pass", st)
check(st["messages"] == ref["messages"], "stats: messages != replay's %d" % ref["messages"], st)
check(st["gaps"] == 0 and st["errors"] == 0 and st["unmatched"] == 0, "stats: gaps/errors", st)
check(0 < st["busy_permille"] <= 1000, "stats: busy_permille", st)
for k in ("unknown_ref", "duplicate_ref", "overfill"):
    check(st[k] == ref["book." + k], "stats: %s != replay's %d" % (k, ref["book." + k]), st)
check(ch["messages"] == ref["messages"] and ch["packets"] > 0, "channels: messages", ch)
for k in ("live_orders", "live_levels", "spilled_orders", "spills", "level_searches",
          "unknown_ref", "duplicate_ref"):
    check(ch[k] == ref["book." + k], "channels: %s != replay's %d" % (k, ref["book." + k]), ch)
# one channel's reply adds its feed's messages by type, as replay --stats counts them
types = [k[4:] for k in ref if k.startswith("msg.")]
check(len(types) > 0 and ref["msg.A"] > 0, "replay --stats: no msg.X lines", ref)
for t in types:
    check(one.get("msg_" + t) == ref["msg." + t], "channel: msg_%s != replay's %d" % (t, ref["msg." + t]), one)
check(lc["packets"] > 0 and lc["cycles_per_busy_loop"] > 0, "lcores: no traffic", lc)
check(0 < lc["busy_permille"] <= 1000, "lcores: busy_permille", lc)
check(pt["rx"] >= lc["packets"] and pt["missed"] == 0 and pt["errors"] == 0, "ports", pt)
# net_pcap stamps every frame with its record's time ([port0] hw_timestamp = auto)
check(pt["hw_clock"] == "pcap" and 0 < pt["hw_stamped"] <= pt["rx"] and pt["hw_last_ns"] > 0,
      "ports: receive timestamps", pt)
print("telemetry_check: %d packets, %d messages, %d live orders, %d level searches"
      % (st["rx_packets"], st["messages"], ch["live_orders"], ch["level_searches"]))
