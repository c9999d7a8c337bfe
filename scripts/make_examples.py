"""Regenerates examples/submissions/ (the demo's three students) from the reference.

ada-correct: a finished, correct submission. ben-mistakes: three realistic mistakes (attention
without scaling, the tanh GELU, greedy ties to the higher id). carl-broken: a syntax error in
attention.py, decoding.py missing, the rest unfinished stubs or correct code.
"""

from pathlib import Path

from autograder.course import CONTRACT_MODULES
from autograder.release.stubs import make_stub, strip_markers

ROOT = Path(__file__).resolve().parent.parent
SOL = ROOT / "solutions"
OUT = ROOT / "examples" / "submissions"


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def main() -> None:
    for name in ("ada-correct", "ben-mistakes", "carl-broken"):
        d = OUT / name
        d.mkdir(parents=True, exist_ok=True)
        for f in d.glob("*.py"):
            f.unlink()
    for m in CONTRACT_MODULES:
        src = (SOL / f"{m}.py").read_text()
        done = strip_markers(src)
        (OUT / "ada-correct" / f"{m}.py").write_text(done)
        ben = done
        if m == "attention":
            ben = replace_once(ben, "        scale = 1.0 / math.sqrt(q.shape[-1])\n", "        scale = 1.0\n")
        if m == "feed_forward":
            ben = replace_once(ben, "torch.erf(x / math.sqrt(2.0))", "torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3))")
        if m == "decoding":
            ben = replace_once(ben, "    return int(torch.argmax(logits))", "    return int(logits.shape[-1] - 1 - torch.argmax(logits.flip(-1)))")
        (OUT / "ben-mistakes" / f"{m}.py").write_text(ben)
        if m == "decoding":
            continue  # carl forgot to hand it in
        carl = make_stub(src) if m in ("multi_head_attention", "lm_head") else done
        if m == "attention":
            carl = replace_once(carl, "def attention_scores(", "def attention_scores(q, k, scale=None\n    return q @ k.T\n\ndef _unused(")
        (OUT / "carl-broken" / f"{m}.py").write_text(carl)
    (OUT / "carl-broken" / "notes.txt").write_text("my notes (not graded)\n")


if __name__ == "__main__":
    main()
