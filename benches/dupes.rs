//! Benchmark of the WT127/WT128 duplicate pass on a corpus, shaped like
//! `rapidfuzz_anchor.py` so `benches/duplicates.sh` can diff the two pair sets.
//!
//! usage: cargo bench --bench dupes -- CORPUS.jsonl [--threshold 0.9] [--out pairs.tsv]
//!                                      [--repeat N] [--queries Q]
//!
//! Reads JSON lines `{name, language, category, body}`, groups by language without
//! AUTHENTICATION, normalises, runs `similar_pairs` per group, and prints
//! `pairs=N pass_ms=T first_pass_ms=F ...` (T = best of N repeats of the whole pass over all
//! groups, F = the first, cold one).
//! `--out` writes `name_a \t name_b \t language \t sim` sorted, names sorted within a pair and
//! sim printed like the anchor (float32, 4 decimals). `--queries Q` also times
//! `similar_pairs_involving` with Q templates per group as queries (the pre-commit case)
//! and checks its pairs against the full pass.

use serde::Deserialize;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::time::{Duration, Instant};
use wt::similarity::{
    normalize, similar_pairs_involving, similar_pairs_with_stats, JoinStats, SimilarPair,
};

#[derive(Deserialize)]
struct Row {
    name: String,
    language: String,
    #[serde(default)]
    category: String,
    body: String,
}

struct Args {
    corpus: String,
    threshold: f64,
    out: Option<String>,
    repeat: usize,
    queries: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1).filter(|a| a != "--bench");
    let mut args = Args {
        corpus: String::new(),
        threshold: 0.9,
        out: None,
        repeat: 5,
        queries: 0,
    };
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--threshold" => {
                args.threshold = value("--threshold")?.parse().map_err(|e| format!("{e}"))?
            }
            "--out" => args.out = Some(value("--out")?),
            "--repeat" => args.repeat = value("--repeat")?.parse().map_err(|e| format!("{e}"))?,
            "--queries" => {
                args.queries = value("--queries")?.parse().map_err(|e| format!("{e}"))?
            }
            _ if args.corpus.is_empty() && !a.starts_with("--") => args.corpus = a,
            _ => return Err(format!("unexpected argument {a}")),
        }
    }
    if args.corpus.is_empty() {
        return Err(
            "usage: dupes CORPUS.jsonl [--threshold T] [--out F] [--repeat N] [--queries Q]".into(),
        );
    }
    Ok(args)
}

struct Group {
    language: String,
    names: Vec<String>,
    texts: Vec<String>,
}

fn main() {
    if let Err(e) = run() {
        eprintln!("dupes: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let t_load = Instant::now();
    let file = std::fs::File::open(&args.corpus).map_err(|e| format!("{}: {e}", args.corpus))?;
    let mut groups: Vec<Group> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut bodies: Vec<Vec<String>> = Vec::new();
    let mut templates = 0usize;
    for line in BufReader::new(file).lines() {
        let line = line.map_err(|e| e.to_string())?;
        if line.trim().is_empty() {
            continue;
        }
        let row: Row = serde_json::from_str(&line).map_err(|e| e.to_string())?;
        if row.category.to_uppercase() == "AUTHENTICATION" {
            continue;
        }
        templates += 1;
        let gi = *index.entry(row.language.clone()).or_insert_with(|| {
            groups.push(Group {
                language: row.language.clone(),
                names: Vec::new(),
                texts: Vec::new(),
            });
            bodies.push(Vec::new());
            groups.len() - 1
        });
        groups[gi].names.push(row.name);
        bodies[gi].push(row.body);
    }
    let load = t_load.elapsed();

    let t_norm = Instant::now();
    for (g, b) in groups.iter_mut().zip(&bodies) {
        g.texts = b.iter().map(|s| normalize(s)).collect();
    }
    let norm = t_norm.elapsed();

    // The pass: every group, best of `repeat` runs.
    let mut best = Duration::MAX;
    let mut first = Duration::ZERO;
    let mut result: Vec<(Vec<SimilarPair>, JoinStats)> = Vec::new();
    for rep in 0..args.repeat.max(1) {
        let t = Instant::now();
        result = groups
            .iter()
            .map(|g| {
                let refs: Vec<&str> = g.texts.iter().map(String::as_str).collect();
                similar_pairs_with_stats(&refs, args.threshold)
            })
            .collect();
        let took = t.elapsed();
        if rep == 0 {
            first = took;
        }
        best = best.min(took);
    }
    let pairs: usize = result.iter().map(|(p, _)| p.len()).sum();
    let stats = result
        .iter()
        .fold(JoinStats::default(), |a, (_, s)| a.merge(s));
    let all_pairs: u64 = groups
        .iter()
        .map(|g| (g.texts.len() as u64) * (g.texts.len() as u64).saturating_sub(1) / 2)
        .sum();
    println!(
        "pairs={pairs} pass_ms={:.1} first_pass_ms={:.1} templates={templates} groups={} load_ms={:.1} normalize_ms={:.1} \
         all_pairs={all_pairs} length_ok={} chars_ok={} bigrams_ok={} positional_ok={}",
        ms(best),
        ms(first),
        groups.len(),
        ms(load),
        ms(norm),
        stats.length_ok,
        stats.chars_ok,
        stats.bigrams_ok,
        stats.positional_ok
    );

    if args.queries > 0 {
        let mut best_q = Duration::MAX;
        let mut found = 0;
        let mut expected = 0;
        for _ in 0..args.repeat.max(1) {
            let t = Instant::now();
            found = 0;
            expected = 0;
            for (g, (full, _)) in groups.iter().zip(&result) {
                let refs: Vec<&str> = g.texts.iter().map(String::as_str).collect();
                // Spread the queries over the group deterministically.
                let step = (refs.len() / args.queries.max(1)).max(1);
                let is_query: Vec<bool> = (0..refs.len())
                    .map(|i| i % step == 0 && i / step < args.queries)
                    .collect();
                let got = similar_pairs_involving(&refs, &is_query, args.threshold);
                let want: Vec<&SimilarPair> = full
                    .iter()
                    .filter(|p| is_query[p.a] || is_query[p.b])
                    .collect();
                if got.len() != want.len() || got.iter().zip(&want).any(|(a, b)| a != *b) {
                    return Err(format!(
                        "similar_pairs_involving disagrees with similar_pairs in {}",
                        g.language
                    ));
                }
                found += got.len();
                expected += want.len();
            }
            best_q = best_q.min(t.elapsed());
        }
        println!(
            "queries_per_group={} involving_pairs={found} (expected {expected}) involving_ms={:.2}",
            args.queries,
            ms(best_q)
        );
    }

    if let Some(path) = &args.out {
        let mut lines: Vec<(String, String, String, f64)> = Vec::with_capacity(pairs);
        for (g, (ps, _)) in groups.iter().zip(&result) {
            for p in ps {
                let (x, y) = (&g.names[p.a], &g.names[p.b]);
                let (x, y) = if x <= y { (x, y) } else { (y, x) };
                lines.push((x.clone(), y.clone(), g.language.clone(), p.similarity));
            }
        }
        lines.sort_by(|a, b| {
            (&a.0, &a.1, &a.2)
                .cmp(&(&b.0, &b.1, &b.2))
                .then(a.3.total_cmp(&b.3))
        });
        let mut f = std::io::BufWriter::new(
            std::fs::File::create(path).map_err(|e| format!("{path}: {e}"))?,
        );
        for (x, y, lang, sim) in lines {
            // The anchor stores scores as float32 and prints them with '%.4f'.
            writeln!(f, "{x}\t{y}\t{lang}\t{:.4}", f64::from(sim as f32))
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
