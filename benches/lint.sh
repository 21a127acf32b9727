#!/usr/bin/env bash
# Whole-process benchmark of `wt lint` against the rapidfuzz anchor (issue 7's targets):
#   - `wt lint --select WT127,WT128` on a templates directory vs rapidfuzz_anchor.py on the
#     same corpus: the pair sets must be identical (checked), and the time ratio is printed;
#   - the whole `wt lint` (every rule) of the directory;
#   - the pre-commit case: `wt lint` of 3 files inside the directory.
# Times are wall seconds of whole processes (GNU time), best of $WT_BENCH_REPEAT, plus max RSS.
#
# usage: benches/lint.sh [SIZE...]     (default: 6000 20000)
# env:   WT_CORPUS_DIR, WT_BENCH_TMP, WT_BENCH_VENV, WT_BENCH_REPEAT as in benches/duplicates.sh
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
corpus_dir="$(cd "${WT_CORPUS_DIR:-../shared/corpus}" && pwd)"
tmp="${WT_BENCH_TMP:-$(mktemp -d -t wt-lint-bench.XXXXXX)}"
venv="${WT_BENCH_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/wt-bench-venv}"
repeat="${WT_BENCH_REPEAT:-3}"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(6000 20000)
TIME=/usr/bin/time

if ! "$venv/bin/python" -c 'import rapidfuzz, numpy' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet rapidfuzz numpy
fi
py="$venv/bin/python"

cargo build --release --quiet
wt="$repo/target/release/wt"

# best wall time and its RSS over $repeat runs of a command: prints "wall rss_mb"
best() {
    local best_wall=999999 best_rss=0
    for _ in $(seq "$repeat"); do
        "$TIME" -f '%e %M' -o "$tmp/t" "$@" >/dev/null 2>&1 || true
        # GNU time adds "Command exited with non-zero status N" first when wt finds errors.
        read -r wall rss < <(tail -n 1 "$tmp/t")
        if awk "BEGIN{exit !($wall < $best_wall)}"; then best_wall=$wall; best_rss=$rss; fi
    done
    echo "$best_wall $((best_rss / 1024))"
}

printf '%-8s %-7s %-7s %-10s %-10s %-7s %-12s %-14s %-10s\n' \
    templates pairs_rf pairs_wt anchor_s dupes_s ratio dupes_rss_mb whole_lint_s precommit_s
for n in "${sizes[@]}"; do
    python3 "$corpus_dir/gen_corpus.py" --sizes "$n" --seed 42 --out "$tmp" >/dev/null
    dir="$tmp/tpl$n/templates"
    rm -rf "$tmp/tpl$n" && mkdir -p "$dir"
    python3 "$corpus_dir/to_toml.py" "$tmp/corpus_$n.jsonl" "$dir" >/dev/null

    read -r a_wall _ < <(best "$py" "$corpus_dir/rapidfuzz_anchor.py" "$tmp/corpus_$n.jsonl" --out "$tmp/rf_$n.tsv")
    "$py" "$corpus_dir/rapidfuzz_anchor.py" "$tmp/corpus_$n.jsonl" --out "$tmp/rf_$n.tsv" >/dev/null
    cut -f1-3 "$tmp/rf_$n.tsv" | sort > "$tmp/rf_$n.pairs"

    (cd "$tmp/tpl$n" && "$wt" lint --select WT127,WT128 --format json > "$tmp/wt_$n.json") || true
    python3 - "$tmp/wt_$n.json" > "$tmp/wt_$n.pairs" <<'PY'
import json, sys
pairs = set()
for d in json.load(open(sys.argv[1]))["diagnostics"]:
    other = d["related"][0]["template"]
    a, b = sorted((d["template"], other))
    pairs.add((a, b, d["language"]))
for p in sorted(pairs):
    print("\t".join(p))
PY
    sort -o "$tmp/wt_$n.pairs" "$tmp/wt_$n.pairs"
    if ! diff -q "$tmp/rf_$n.pairs" "$tmp/wt_$n.pairs" >/dev/null; then
        echo "PAIR SETS DIFFER at $n (see $tmp/rf_$n.pairs and $tmp/wt_$n.pairs)" >&2
        exit 1
    fi
    read -r d_wall d_rss < <(cd "$tmp/tpl$n" && best "$wt" lint --select WT127,WT128 --format json)
    read -r l_wall _ < <(cd "$tmp/tpl$n" && best "$wt" lint --format json)
    three=$(cd "$tmp/tpl$n" && ls templates | sed -n '1,3s|^|templates/|p' | tr '\n' ' ')
    # shellcheck disable=SC2086
    read -r p_wall _ < <(cd "$tmp/tpl$n" && best "$wt" lint $three --format json)
    ratio=$(awk "BEGIN{printf \"%.1f\", $a_wall / ($d_wall > 0 ? $d_wall : 0.005)}")
    printf '%-8s %-7s %-7s %-10s %-10s %-7s %-12s %-14s %-10s\n' \
        "$n" "$(wc -l < "$tmp/rf_$n.pairs")" "$(wc -l < "$tmp/wt_$n.pairs")" "$a_wall" "$d_wall" "${ratio}x" "$d_rss" "$l_wall" "$p_wall"
done
echo "(workdir $tmp; machine: $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg))"
