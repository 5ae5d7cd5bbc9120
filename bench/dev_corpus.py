#!/usr/bin/env python3
"""dev_corpus.py SRC OUT [MB]: the documents of the JSON Lines files in SRC
(../shared/eval/dev), id and text only, written to OUT: once each without
MB, else repeated (ids suffixed -0, -1, ...) until OUT holds at least MB
megabytes. Shared by bench/resolve.sh and bench/annotate_clustered.sh."""
import json
import os
import sys

src, out = sys.argv[1], sys.argv[2]
mb = float(sys.argv[3]) if len(sys.argv) > 3 else None
docs = []
for name in sorted(os.listdir(src)):
    if name.endswith(".jsonl"):
        with open(os.path.join(src, name), encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                docs.append((d["id"], d["text"]))
with open(out, "w", encoding="utf-8") as f:
    if mb is None:
        for i, t in docs:
            f.write(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n")
        sys.exit(0)
    size, rnd = 0, 0
    while size < mb * 1000 * 1000:
        for i, t in docs:
            s = json.dumps({"id": f"{i}-{rnd}", "text": t}, ensure_ascii=False) + "\n"
            f.write(s)
            size += len(s.encode())
        rnd += 1
