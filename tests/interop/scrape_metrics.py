#!/usr/bin/python3
"""Scrapes a Prometheus endpoint and parses it with the Prometheus client library's own parser.

Usage: scrape_metrics.py URL

Fetches URL (Tracker's GET /metrics), parses the text exposition format with
prometheus_client.parser.text_string_to_metric_families (Debian's python3-prometheus-client),
and prints one JSON object:
  {"content_type": HEADER,
   "families": {FAMILY: {"type": TYPE, "samples": [{"name": NAME, "labels": {...}, "value": V}, ...]}}}
The parser raises on anything that is not valid exposition text; the script then exits non-zero
with the error on stderr. The test that runs it decides which families and values are right.
"""

import json
import sys
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

TIMEOUT_SECONDS = 30


def main():
    url = sys.argv[1]
    with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
        content_type = response.headers.get("Content-Type", "")
        text = response.read().decode("utf-8")

    families = {}
    for family in text_string_to_metric_families(text):
        families[family.name] = {
            "type": family.type,
            "samples": [
                {"name": sample.name, "labels": dict(sample.labels), "value": sample.value}
                for sample in family.samples
            ],
        }

    json.dump({"content_type": content_type, "families": families}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
