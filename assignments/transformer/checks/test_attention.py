"""Public checks for attention.py (run them with `autograder check attention` or plain `pytest`).

The graded (hidden) checks test the same contract on other, secret inputs: passing these is a good
sign, not a guarantee.
"""

import math

import torch

from autograder.checks import close, fail

NEG_INF = float("-inf")


def test_worked_example(student, report):
    """The worked example of the course notes ('The dog ran quickly', scale=1.0) comes out right."""
    q = torch.tensor([[0.22, 0.64, 0.73]])  # the query for "quickly"
    k = torch.tensor([[0.54, 0.36, 0.74],  # K_dog
                      [0.30, 0.70, 0.94]])  # a key for "quickly" whose score is 1.2
    v = torch.tensor([[0.12, 0.84, 0.51],  # V_dog
                      [0.62, 0.24, 0.33]])  # V_quickly
    steps = {
        "score": lambda: student.attention.attention_scores(q, k, scale=1.0),
        "weights": lambda: student.attention.attention_weights(q, k, scale=1.0),
        "output": lambda: student.attention.scaled_dot_product_attention(q, k, v, scale=1.0),
    }
    got = {}
    walk = report.setdefault("walkthrough", {})
    for name, call in steps.items():  # the feedback replays the notes' steps with these numbers
        try:
            got[name] = call()
        except Exception as e:  # noqa: BLE001 - shown in the walkthrough, then reported by close()
            got[name] = None
            walk[name] = f"error: {type(e).__name__}"
            continue
        value = got[name]
        try:
            flat = [float(x) for x in value.reshape(-1)]
            walk[name] = flat[0] if name == "score" else flat
        except (AttributeError, TypeError, ValueError):
            walk[name] = str(type(value).__name__)
    close(got["score"], torch.tensor([[0.889, 1.2]]), rtol=0, atol=0.006,
          what="attention_scores(q, K, scale=1.0) (notes: 0.889 for 'dog', 1.2 for 'quickly')")
    close(got["weights"], torch.tensor([[0.42, 0.58]]), rtol=0, atol=0.006,
          what="attention_weights(q, K, scale=1.0) (notes: 0.42 / 0.58)")
    close(got["output"], torch.tensor([[0.41, 0.49, 0.41]]),
          rtol=0, atol=0.006, what="scaled_dot_product_attention(q, K, V, scale=1.0) (notes: about [0.41, 0.49, 0.41])")


def test_softmax_small_examples(student):
    """softmax gives the right values on small examples, along the last axis and along dim=0."""
    close(student.attention.softmax(torch.tensor([1.0, 2.0, 3.0])), torch.tensor([0.09003057, 0.24472847, 0.66524096]),
          what="softmax([1, 2, 3])")
    x = torch.tensor([[0.0, math.log(3.0)], [2.0, 2.0]])
    close(student.attention.softmax(x), torch.tensor([[0.25, 0.75], [0.5, 0.5]]), what="softmax of a matrix (each row)")
    close(student.attention.softmax(x, dim=0), torch.tensor([[0.11920292, 0.28876541], [0.88079708, 0.71123459]]),
          what="softmax(x, dim=0) (each column)")


def test_softmax_is_stable(student):
    """softmax works for very large and very negative logits and for -inf entries."""
    x = torch.tensor([[1000.0, 1000.0, -1000.0], [-1.0e4, -1.0e4, -1.0e4], [0.0, NEG_INF, 0.0]])
    got = close(student.attention.softmax(x), torch.tensor([[0.5, 0.5, 0.0], [1 / 3, 1 / 3, 1 / 3], [0.5, 0.0, 0.5]]),
                what="softmax of [[1000, 1000, -1000], [-1e4, -1e4, -1e4], [0, -inf, 0]]")
    if got[2, 1] != 0.0:
        fail("softmax should give exactly 0 where the input is -inf")


def test_attention_shapes_and_default_scale(student, draw):
    """scaled_dot_product_attention handles Lq ≠ Lk, dk ≠ dv and a batch axis, with scale 1/sqrt(dk) by default."""
    q, k, v = draw.normal(2, 3, 4), draw.normal(2, 5, 4), draw.normal(2, 5, 6)
    scores = q @ k.transpose(-2, -1) / math.sqrt(4)
    close(student.attention.attention_scores(q, k), scores, what="attention_scores(q, k) with dk = 4")
    close(student.attention.scaled_dot_product_attention(q, k, v), torch.softmax(scores, dim=-1) @ v,
          what="scaled_dot_product_attention(q, k, v): shape [2, 3, 6]")


def test_causal_mask_is_applied(student):
    """With a causal mask, each query averages only the keys it may see."""
    q = torch.zeros(3, 2)  # equal scores: the weights are uniform over the visible keys
    k = torch.tensor([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]])
    v = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    mask = torch.triu(torch.full((3, 3), NEG_INF), diagonal=1)  # 0 on and below the diagonal, -inf above
    close(student.attention.attention_weights(q, k, mask=mask),
          torch.tensor([[1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [1 / 3, 1 / 3, 1 / 3]]), what="attention_weights with a causal mask")
    close(student.attention.scaled_dot_product_attention(q, k, v, mask=mask),
          torch.tensor([[1.0, 0.0], [0.5, 0.5], [2 / 3, 2 / 3]]), what="scaled_dot_product_attention with a causal mask")
