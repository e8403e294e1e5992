"""Print the reply pre-check's precision and recall per check on a labelled set of replies.

    python benchmarks/reply_check.py [--generated N] [--show-errors]

The labelled set: the hand-written cases of benchmarks/reply_check_cases.yaml (written for
the course, not by the generator; tricky on purpose; ho-* and bl-* were written after the word
lists and then used to widen them, as were bb-* and bc-*; bd-* and be-* were written blind, measured,
then used to make the next-step check structural (issue 12c); bf-* were written after that change and
the checks not changed after them, so their figures are the honest estimate on new text) and N replies
of data/agent_replies.csv
(default: all), whose defect labels map to checks through chapter 02's values.yaml. A check
"flags" a reply when its finding has passed == False. Readability and length are
measurements with a threshold, not detectors of a labelled defect: their figures are the
share of replies they flag, not precision.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import defaultdict
from pathlib import Path

import yaml

from borderdesk.reply_check import CHECKS, DEFECT_CHECK, check_reply

HERE = Path(__file__).resolve().parent
CASES = HERE / "reply_check_cases.yaml"
LABELLED = tuple(dict.fromkeys(DEFECT_CHECK.values()))  # the checks with labelled defects


def hand_written() -> list[dict]:
    """The hand-written cases: id, message (a dict of buyer_messages fields), reply, flags."""
    data = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    messages = data["messages"]
    out = []
    for case in data["cases"]:
        unknown = set(case["flags"]) - set(CHECKS)
        if unknown:
            raise ValueError(f"{CASES.name}: case {case['id']} flags unknown checks {sorted(unknown)}")
        out.append(
            dict(id=case["id"], message=messages[case["message"]], reply=case["reply"], flags=set(case["flags"]))
        )
    return out


def generated(n: int | None = None, seed: int = 1) -> list[dict]:
    """Replies of agent_replies.csv with the checks their defects should trip (a seeded sample of n, or all)."""
    from borderdesk.datasets import load

    messages = load("buyer_messages").set_index("message_id", drop=False)
    replies = load("agent_replies")
    rows = list(replies.itertuples(index=False))
    if n is not None and n < len(rows):
        rows = random.Random(seed).sample(rows, n)
    return [
        dict(
            id=r.reply_id,
            message=messages.loc[r.message_id].to_dict(),
            reply=r.reply,
            flags={DEFECT_CHECK[d] for d in r.defects.split(";") if d},
        )
        for r in rows
    ]


def evaluate(cases: list[dict]) -> tuple[dict, dict]:
    """(counts per check: tp, fp, fn, flagged; the misclassified case ids per check)."""
    counts = defaultdict(lambda: dict(tp=0, fp=0, fn=0, flagged=0))
    errors = defaultdict(list)
    for case in cases:
        for finding in check_reply(case["reply"], case["message"]):
            flagged, expected = finding.passed is False, finding.check in case["flags"]
            c = counts[finding.check]
            c["flagged"] += flagged
            if flagged and expected:
                c["tp"] += 1
            elif flagged:
                c["fp"] += 1
                errors[finding.check].append(("false alarm", case["id"], finding.found))
            elif expected:
                c["fn"] += 1
                errors[finding.check].append(("missed", case["id"], finding.found))
    return dict(counts), dict(errors)


def precision(c: dict) -> float:
    return c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else float("nan")


def recall(c: dict) -> float:
    return c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else float("nan")


def table(title: str, cases: list[dict]) -> dict:
    start = time.perf_counter()
    counts, errors = evaluate(cases)
    seconds = time.perf_counter() - start
    print(f"\n{title}: {len(cases)} replies, {seconds:.1f} s ({1000 * seconds / max(1, len(cases)):.0f} ms a reply)")
    print(f"{'check':18} {'precision':>9} {'recall':>7} {'TP':>5} {'FP':>5} {'FN':>5}")
    for check in LABELLED:
        c = counts.get(check, dict(tp=0, fp=0, fn=0, flagged=0))
        print(f"{check:18} {precision(c):9.2f} {recall(c):7.2f} {c['tp']:5} {c['fp']:5} {c['fn']:5}")
    for check in CHECKS:
        if check not in LABELLED:
            c = counts.get(check, dict(flagged=0))
            print(f"{check:18} flags {c['flagged']} of {len(cases)} (a measurement, not a labelled defect)")
    return errors


def compare_detectors() -> None:
    """Language of replies, message lines and subjects: the pre-check's lingua against langdetect (if installed)."""
    from borderdesk import reply_check
    from borderdesk.datasets import load

    replies, messages = load("agent_replies"), load("buyer_messages")
    sets = {
        "replies": list(zip(replies["reply"], replies["language"], strict=True)),
        "message lines": [
            (t.split("\n")[1] if "\n" in t else t, lang)
            for t, lang in zip(messages["message"], messages["language"], strict=True)
        ],
        "subjects (1-4 words)": list(zip(messages["subject"], messages["language"], strict=True)),
    }
    detectors = {"lingua (pre-check)": lambda text: reply_check._detect(text)[0]}
    try:
        from langdetect import DetectorFactory, LangDetectException, detect

        DetectorFactory.seed = 0

        def langdetect(text: str) -> str | None:
            try:
                return detect(text)
            except LangDetectException:
                return None

        detectors["langdetect (seed 0)"] = langdetect
    except ImportError:
        print("langdetect is not installed: pip install langdetect to compare")
    print(f"\n{'detector':20} {'set':22} {'right':>6} {'wrong':>6} {'no answer':>9} {'ms':>5}")
    for name, detect_language in detectors.items():
        detect_language("warm up the detector")
        for title, data in sets.items():
            start = time.perf_counter()
            guesses = [detect_language(text) for text, _ in data]
            ms = 1000 * (time.perf_counter() - start) / len(data)
            right = sum(g == lang for g, (_, lang) in zip(guesses, data, strict=True)) / len(data)
            none = sum(g is None for g in guesses) / len(data)
            print(f"{name:20} {title:22} {right:6.3f} {1 - right - none:6.3f} {none:9.3f} {ms:5.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--generated", type=int, default=None, help="replies drawn from agent_replies.csv (default: all)"
    )
    parser.add_argument("--show-errors", action="store_true", help="list the missed and false-alarm case ids")
    parser.add_argument("--compare-detectors", action="store_true", help="also compare lingua with langdetect")
    args = parser.parse_args()
    hand, gen = hand_written(), generated(args.generated)
    check_reply("Hello, warm-up.", None)  # load the language detector before timing
    sets = [
        ("hand-written while the checks were built (hw-*)", [c for c in hand if c["id"].startswith("hw-")]),
        (
            "hand-written afterwards, then used to widen the checks (ho-*, bl-*, bb-*, bc-*)",
            [c for c in hand if c["id"][:3] in ("ho-", "bl-", "bb-", "bc-")],
        ),
        (
            "hand-written blind, then used to find the next-step check's false alarms (bd-*, be-*)",
            [c for c in hand if c["id"][:3] in ("bd-", "be-")],
        ),
        ("be-* alone (blind before the structural next-step check)", [c for c in hand if c["id"].startswith("be-")]),
        (
            "hand-written last, blind: the checks were not changed after it (bf-*)",
            [c for c in hand if c["id"].startswith("bf-")],
        ),
        ("generated (agent_replies.csv)", gen),
        ("all", hand + gen),
    ]
    for title, cases in sets:
        errors = table(title, cases)
        if args.show_errors and title != "all":
            for check, items in errors.items():
                for kind, case_id, found in items:
                    print(f"  {check}: {kind} {case_id} found={found}")
    if args.compare_detectors:
        compare_detectors()


if __name__ == "__main__":
    main()
