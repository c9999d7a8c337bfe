"""Public checks for decoding.py (run them with `autograder check decoding` or plain `pytest`).

The graded (hidden) checks test the same contract on other, secret inputs: passing these is a good
sign, not a guarantee.
"""

import torch

from autograder.checks import as_int, close, equal, fail, raises_value_error
from autograder.student import ContextModel, Generator


def test_greedy_example(student):
    """greedy returns the arg-max as an int, ties to the lower id."""
    equal(student.decoding.greedy(torch.tensor([0.1, 2.0, 2.0])), 1, what="greedy([0.1, 2.0, 2.0])")
    equal(student.decoding.greedy(torch.tensor([-3.0, -1.0, -2.0, -5.0])), 1, what="greedy([-3, -1, -2, -5])")


def test_top_p_filter_example(student):
    """top_p_filter keeps the ids that reach top_p (including the one that crosses it) and renormalises."""
    probs = torch.tensor([0.1, 0.5, 0.3, 0.1])
    close(student.decoding.top_p_filter(probs, 0.7), torch.tensor([0.0, 0.625, 0.375, 0.0]), what="top_p_filter(probs, 0.7)")
    close(student.decoding.top_p_filter(probs, 0.4), torch.tensor([0.0, 1.0, 0.0, 0.0]), what="top_p_filter(probs, 0.4)")
    close(student.decoding.top_p_filter(probs, 1.0), probs, what="top_p_filter(probs, 1.0)")
    raises_value_error(student.decoding.top_p_filter, probs, 0.0, names=("top_p",), what="top_p_filter with top_p=0")


def test_sampling(student):
    """sample_next_token: temperature 0 is greedy; otherwise it samples only ids of the top-p set."""
    logits = torch.tensor([1.0, 3.0, 2.5, -1.0, 0.0])
    equal(student.decoding.sample_next_token(logits, temperature=0.0), 1, what="sample_next_token(logits, temperature=0)")
    seen = set()
    for seed in range(30):
        tok = as_int(student.decoding.sample_next_token(logits, 1.0, 0.8, Generator(seed)), what="sample_next_token(...)")
        seen.add(tok)
    if not seen <= {1, 2}:
        fail(f"with top_p=0.8 only ids 1 and 2 may be sampled, but sample_next_token also gave {sorted(seen - {1, 2})}")
    if seen != {1, 2}:
        fail("with top_p=0.8, 30 samples should include both id 1 and id 2")


def test_generate_small(student):
    """generate appends the model's picks to the prompt, stops at max_new_tokens or right after eos_id."""
    V = 10
    last = torch.zeros(V, V)
    last[:, 7] = 5.0  # whatever the context, the model favours id 7
    model = ContextModel(last, torch.zeros(V, V), torch.zeros(1, V))
    equal(student.decoding.generate(model, [1, 2], 3), [1, 2, 7, 7, 7], what="generate(model, [1, 2], 3)")
    equal(student.decoding.generate(model, [1, 2], 3, eos_id=7), [1, 2, 7], what="generate(model, [1, 2], 3, eos_id=7)")
    equal(student.decoding.generate(model, [1, 2], 0), [1, 2], what="generate(model, [1, 2], 0)")
    equal(student.decoding.generate(model, [4, 5, 6], 2, context_length=2), [4, 5, 6, 7, 7],
          what="generate(model, [4, 5, 6], 2, context_length=2)")
    equal(student.last_call.model_calls[0] if student.last_call.model_calls else [], [[5, 6], [6, 7]],
          what="the contexts generate passed to the model with context_length=2")
