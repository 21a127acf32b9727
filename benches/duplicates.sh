#!/usr/bin/env bash
# Benchmark of the WT127/WT128 duplicate pass against the rapidfuzz anchor.
#
# Generates the corpora (gen_corpus.py: 6,000 and 20,000 templates, seed 42, plus its
# homogeneous "hom" profile at 20,000, and an adversarial corpus of 3,000 permutations of the
# same sentences), runs rapidfuzz_anchor.py and the Rust pass (benches/dupes.rs) on each,
# fails loudly if the two pair sets differ, and prints a table with times and peak memory.
#
# usage: benches/duplicates.sh            (from anywhere; works from the repo root)
# env:   WT_CORPUS_DIR   directory with gen_corpus.py and rapidfuzz_anchor.py
#                        (default: ../shared/corpus relative to the repo root)
#        WT_BENCH_TMP    where corpora, pair files and logs go (default: a new mktemp -d)
#        WT_BENCH_VENV   venv for rapidfuzz + numpy (default: ~/.cache/wt-bench-venv,
#                        created and filled with pip on first use)
#        WT_BENCH_REPEAT best-of-N repeats for the pass time (default 5)
#        WT_BENCH_QUICK  1: only the 6,000 corpus and the adversarial one
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
corpus_dir="${WT_CORPUS_DIR:-../shared/corpus}"
corpus_dir="$(cd "$corpus_dir" && pwd)" || { echo "no corpus dir (set WT_CORPUS_DIR)" >&2; exit 2; }
tmp="${WT_BENCH_TMP:-$(mktemp -d -t wt-dupes-bench.XXXXXX)}"
mkdir -p "$tmp"
venv="${WT_BENCH_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/wt-bench-venv}"
repeat="${WT_BENCH_REPEAT:-5}"
threshold=0.9
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "needs GNU time at /usr/bin/time" >&2; exit 2; }

echo "== workdir $tmp"

# -- python side: the anchor needs rapidfuzz and numpy ------------------------------------
if ! "$venv/bin/python" -c 'import rapidfuzz, numpy' 2>/dev/null; then
    echo "== installing rapidfuzz + numpy into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet rapidfuzz numpy
fi
py="$venv/bin/python"
rf_version="$("$py" -c 'import rapidfuzz; print(rapidfuzz.__version__)')"

# -- corpora ----------------------------------------------------------------------------
corpora=()
if [ "${WT_BENCH_QUICK:-0}" = 1 ]; then
    python3 "$corpus_dir/gen_corpus.py" --sizes 6000 --seed 42 --out "$tmp" >/dev/null
    corpora+=("$tmp/corpus_6000.jsonl")
else
    python3 "$corpus_dir/gen_corpus.py" --sizes 6000 20000 --seed 42 --out "$tmp" >/dev/null
    python3 "$corpus_dir/gen_corpus.py" --profile hom --sizes 20000 --seed 42 --out "$tmp" >/dev/null
    corpora+=("$tmp/corpus_6000.jsonl" "$tmp/corpus_20000.jsonl" "$tmp/corpus_hom_20000.jsonl")
fi
python3 benches/gen_adversarial.py "$tmp/adversarial_3000.jsonl" --n 3000 --seed 7
corpora+=("$tmp/adversarial_3000.jsonl")

# -- the Rust side ----------------------------------------------------------------------
echo "== building the bench (release)"
bin="$(cargo bench --bench dupes --no-run --message-format=json 2>/dev/null \
    | python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m.get("target", {}).get("name") == "dupes" and m.get("executable"):
        print(m["executable"])')"
[ -x "$bin" ] || { echo "could not build benches/dupes.rs" >&2; exit 2; }

# field NAME from a "k=v k=v" line
field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2" | head -1; }

rows=()
failed=0
for c in "${corpora[@]}"; do
    name="$(basename "$c" .jsonl)"
    echo "== $name"
    # Anchor: whole process under GNU time (wall seconds, max RSS in KiB).
    a_out="$("$TIME" -f 'TIME wall=%e rss=%M user=%U sys=%S' -o "$tmp/$name.anchor.time" \
        "$py" "$corpus_dir/rapidfuzz_anchor.py" "$c" --threshold "$threshold" --out "$tmp/$name.anchor.tsv")"
    a_time="$(cat "$tmp/$name.anchor.time")"
    # wt: one cold pass in a fresh process (whole process timed), then best of N.
    w_out="$("$TIME" -f 'TIME wall=%e rss=%M user=%U sys=%S' -o "$tmp/$name.wt.time" \
        "$bin" "$c" --threshold "$threshold" --out "$tmp/$name.wt.tsv" --repeat 1)"
    w_time="$(cat "$tmp/$name.wt.time")"
    w_best="$("$bin" "$c" --threshold "$threshold" --repeat "$repeat")"
    echo "   anchor: $a_out | $a_time"
    echo "   wt:     $w_out | $w_time"
    echo "   wt best of $repeat: $(field pass_ms "$w_best") ms"
    if ! cmp -s "$tmp/$name.anchor.tsv" "$tmp/$name.wt.tsv"; then
        echo "!! PAIR SETS DIFFER for $name (anchor < > wt):" >&2
        diff "$tmp/$name.anchor.tsv" "$tmp/$name.wt.tsv" | head -20 >&2
        failed=1
    fi
    templates="$(field templates "$w_out")"
    rows+=("$name $templates $(field pairs "$a_out") $(field pairs "$w_out") $(field compare_s "$a_out") \
$(field wall "$a_time") $(field user "$a_time") $(field sys "$a_time") $(field rss "$a_time") \
$(field first_pass_ms "$w_out") $(field pass_ms "$w_best") \
$(field wall "$w_time") $(field user "$w_time") $(field sys "$w_time") $(field rss "$w_time")")
done

echo
echo "threshold $threshold; rapidfuzz $rf_version; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%d)"
printf '%s\n' "${rows[@]}" | python3 -c '
import sys
head = ["corpus", "templates", "pairs rf", "pairs wt", "rf compare s", "rf process s", "rf CPU s", "rf RSS MB",
        "wt pass ms", "wt best ms", "wt process s", "wt CPU s", "wt RSS MB",
        "rf process / wt pass", "process / process", "CPU / CPU"]
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for line in sys.stdin:
    n, t, pr, pw, cs, aw, au, asy, ar, wf, wb, ww, wu, wsy, wr = line.split()
    acpu, wcpu = float(au) + float(asy), float(wu) + float(wsy)
    print("| " + " | ".join([n, t, pr, pw, cs, aw, "%.2f" % acpu, "%.0f" % (int(ar) / 1024), wf, wb, ww,
          "%.2f" % wcpu, "%.0f" % (int(wr) / 1024), "%.0fx" % (float(aw) * 1000 / float(wf)),
          "%.1fx" % (float(aw) / float(ww)), "%.1fx" % (acpu / max(wcpu, 0.01))]) + " |")
'
if [ "$failed" != 0 ]; then
    echo "FAIL: the Rust pass and the anchor disagree (see above)" >&2
    exit 1
fi
echo "pair sets identical on every corpus"
