#!/usr/bin/env python3
"""Adversarial corpus for the near-duplicate finder (WT127/WT128).

Every body is a permutation of the SAME sentences (one language, one category), so all
bodies have the same length and the same character histogram: the length filter and the
character-count filter prune nothing, and only a positional filter (PassJoin segments)
or the verifier can tell pairs apart. A few sentences are short so that some
permutations (swaps of short neighbours) land near the 0.90 threshold, and with 8! = 40320
orders, 3000 bodies also give some exact duplicates.

usage: gen_adversarial.py OUT.jsonl [--n 3000] [--seed 7]
"""
import argparse
import json
import random

SENTENCES = [
    "Hi {{1}},",
    "Thank you for your order {{2}} with NovaMart.",
    "Your running shoes are on their way and should arrive by {{3}}.",
    "Track your shipment here: {{4}}.",
    "If you need to change the delivery address, reply to this message within 24 hours.",
    "Delivery is free for orders above 50 dollars.",
    "Questions? Just reply to this message.",
    "Thanks, the NovaMart team",
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with open(args.out, "w", encoding="utf-8") as f:
        for i in range(args.n):
            order = list(SENTENCES)
            rng.shuffle(order)
            row = {"name": "perm_%05d" % i, "language": "en_US", "category": "UTILITY",
                   "body": " ".join(order)}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
