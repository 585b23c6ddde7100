#!/usr/bin/env python3
"""Prints the slowest test fixtures (classes) of one or more .trx files, slowest first.

scripts/test.sh runs it on the run's results so each CI log says where the suite's time goes:
the wall time of a class is the sum of its tests' durations (NUnit runs a fixture's tests one
after the other), plus its one-time set-up, which the .trx does not report separately.
Usage: scripts/slowest-fixtures.py [--top N] results/*.trx
"""
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def seconds(duration):
    # "hh:mm:ss.fffffff"
    h, m, s = duration.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def main(argv):
    top = 25
    if len(argv) > 1 and argv[0] == "--top":
        top, argv = int(argv[1]), argv[2:]
    per_class = defaultdict(float)
    tests = defaultdict(int)
    total = 0.0
    for path in argv:
        try:
            root = ET.parse(path).getroot()
        except (ET.ParseError, OSError) as e:
            print(f"slowest-fixtures: cannot read {path}: {e}", file=sys.stderr)
            continue
        class_of = {}
        for unit in root.iterfind("t:TestDefinitions/t:UnitTest", NS):
            method = unit.find("t:TestMethod", NS)
            if method is not None:
                class_of[unit.get("id")] = method.get("className", "?").rsplit(".", 1)[-1]
        for result in root.iterfind("t:Results/t:UnitTestResult", NS):
            duration = result.get("duration")
            if not duration:
                continue
            name = class_of.get(result.get("testId"), "?")
            per_class[name] += seconds(duration)
            tests[name] += 1
            total += seconds(duration)
    if not per_class:
        return 0
    print(f"slowest fixtures (sum of test durations; all tests: {total / 60:.1f} min):")
    for name, secs in sorted(per_class.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {secs:8.1f} s  {tests[name]:4d} tests  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
