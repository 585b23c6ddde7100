"""Reads a sipp statistics file (-trace_stat -stf stats.csv): calls, failures and INVITE→200 percentiles.

sipp's response-time partition is cumulative buckets ResponseTimeRepartition1_<N, _N<n<M, _>=N; a
percentile is reported as the upper bound of its bucket. Used by sipp-rate.sh and cold-start.sh.
"""
import csv
import re


class SippStats:
    def __init__(self, path):
        self.rows = list(csv.reader(open(path), delimiter=";"))
        self.head = self.rows[0]
        last = self.rows[-1]
        self.ok = self.at(last, "SuccessfulCall(C)")
        self.failed = self.at(last, "FailedCall(C)")
        self.buckets = []
        for i, name in enumerate(self.head):
            m = re.match(r"ResponseTimeRepartition1_(?:<(\d+)|(\d+)<n<(\d+)|>=(\d+))$", name)
            if m:
                upper = m.group(1) or m.group(3)
                self.buckets.append((float(upper) if upper else float("inf"), int(last[i])))

    def at(self, row, name):
        return int(row[self.head.index(name)])

    def failed_by_row(self, index):
        """Failures counted by a given row (with -fd 1, one row a second)."""
        return self.at(self.rows[min(index, len(self.rows) - 1)], "FailedCall(C)")

    def percentile(self, p):
        total = sum(n for _, n in self.buckets)
        seen = 0
        for upper, n in self.buckets:
            seen += n
            if total and seen >= p * total:
                return upper
        return float("nan")
