"""Public checks for lm_head.py (run them with `autograder check lm_head` or plain `pytest`).

The graded (hidden) checks test the same contract on other, secret inputs: passing these is a good
sign, not a guarantee.
"""

import numpy as np
import torch

from autograder.checks import as_int, close, equal, fail, raises_value_error


def test_lm_head_small(student):
    """lm_head computes h @ w_out + b_out."""
    h = torch.tensor([[1.0, 2.0], [0.0, -1.0]])
    w = torch.tensor([[1.0, 0.0, -1.0], [0.5, 1.0, 2.0]])
    b = torch.tensor([0.1, 0.2, 0.3])
    close(student.lm_head.lm_head(h, w, b), torch.tensor([[2.1, 2.2, 3.3], [-0.4, -0.8, -1.7]]), what="lm_head(h, w_out, b_out)")
    close(student.lm_head.lm_head(h, w), torch.tensor([[2.0, 2.0, 3.0], [-0.5, -1.0, -2.0]]), what="lm_head(h, w_out)")


def test_next_token_probs_temperature(student):
    """next_token_probs is softmax(logits / temperature)."""
    logits = torch.tensor([2.0, 1.0, 0.0])
    close(student.lm_head.next_token_probs(logits), torch.tensor([0.66524096, 0.24472847, 0.09003057]),
          what="next_token_probs([2, 1, 0])")
    close(student.lm_head.next_token_probs(logits, temperature=2.0), torch.tensor([0.50648039, 0.30719589, 0.18632372]),
          what="next_token_probs([2, 1, 0], temperature=2.0)")
    close(student.lm_head.next_token_probs(logits, temperature=0.5), torch.tensor([0.86681333, 0.11731043, 0.01587624]),
          what="next_token_probs([2, 1, 0], temperature=0.5)")


def test_temperature_must_be_positive(student):
    """next_token_probs raises ValueError for a temperature <= 0."""
    raises_value_error(student.lm_head.next_token_probs, torch.tensor([1.0, 2.0]), 0.0, names=("temperature",),
                       what="next_token_probs with temperature 0")


def test_top_tokens_example(student):
    """top_tokens lists the k most probable ids, highest first, ties to the lower id."""
    probs = torch.tensor([0.1, 0.4, 0.1, 0.4])
    got = student.lm_head.top_tokens(probs, 3)
    if not isinstance(got, list) or not all(isinstance(p, (tuple, list)) and len(p) == 2 for p in got):
        fail("top_tokens should return a list of (id, probability) tuples", "type")
    equal([as_int(i, what="an id") for i, _ in got], [1, 3, 0], what="the ids of top_tokens([0.1, 0.4, 0.1, 0.4], 3)")
    close(np.array([float(p) for _, p in got]), torch.tensor([0.4, 0.4, 0.1]),
          what="the probabilities of top_tokens([0.1, 0.4, 0.1, 0.4], 3)")
