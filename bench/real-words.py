#!/usr/bin/env python3
"""Gives a generated curriculum words like real lessons': aula-corpus draws its text from
about 50 words per language, so every word is in every session and the search index stays
small. This appends to every session of CONTENT (a project's content/ folder) N words drawn,
with a fixed seed and by frequency, from the words of the lessons in FIXTURES (about 6,700
distinct words in ../shared/fixtures). Used by memory.sh and search-bytes.sh (WORDS=N).
Usage: python3 bench/real-words.py CONTENT N [FIXTURES]"""
import collections
import glob
import os
import random
import re
import sys

content, per_session = sys.argv[1], int(sys.argv[2])
here = os.path.dirname(os.path.abspath(__file__))
fixtures = sys.argv[3] if len(sys.argv) > 3 else os.path.join(here, "..", "..", "shared", "fixtures")
count = collections.Counter()
for path in sorted(glob.glob(os.path.join(fixtures, "**", "*.md"), recursive=True)):
    with open(path, encoding="utf-8", errors="replace") as f:
        count.update(re.findall(r"[^\W\d_]{2,}", f.read().lower()))
if not count:
    sys.exit(f"no lessons found in {fixtures}")
words = sorted(count)
weights = [count[w] for w in words]
rng = random.Random(2)
sessions = 0
for root, dirs, files in os.walk(content):
    dirs.sort()
    for name in sorted(files):
        if name.endswith(".md") and not name.startswith("_"):
            with open(os.path.join(root, name), "a", encoding="utf-8") as f:
                f.write("\n\n" + " ".join(rng.choices(words, weights=weights, k=per_session)) + ".\n")
            sessions += 1
print(f"{len(words)} distinct words from the fixtures; {per_session} appended to each of {sessions} files")
