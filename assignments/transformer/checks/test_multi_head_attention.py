"""Public checks for multi_head_attention.py (run them with `autograder check multi_head_attention` or `pytest`).

The graded (hidden) checks test the same contract on other, secret inputs: passing these is a good
sign, not a guarantee.
"""

import math

import torch

from autograder.checks import close, raises_value_error


def test_split_heads_example(student):
    """split_heads gives head h the columns h*dh:(h+1)*dh: [L, H*dh] -> [H, L, dh]."""
    x = torch.arange(12, dtype=torch.float32).reshape(2, 6)  # L = 2, d = 6
    expected = torch.tensor([[[0.0, 1.0], [6.0, 7.0]],
                             [[2.0, 3.0], [8.0, 9.0]],
                             [[4.0, 5.0], [10.0, 11.0]]])
    close(student.multi_head_attention.split_heads(x, 3), expected, rtol=0, atol=0, what="split_heads(x, 3)")
    batched = torch.stack([x, x + 100.0])
    close(student.multi_head_attention.split_heads(batched, 3), torch.stack([expected, expected + 100.0]),
          rtol=0, atol=0, what="split_heads with a batch axis")


def test_merge_heads_example(student):
    """merge_heads concatenates the heads in order: [H, L, dh] -> [L, H*dh]."""
    heads = torch.tensor([[[0.0, 1.0], [6.0, 7.0]],
                          [[2.0, 3.0], [8.0, 9.0]],
                          [[4.0, 5.0], [10.0, 11.0]]])
    close(student.multi_head_attention.merge_heads(heads), torch.arange(12, dtype=torch.float32).reshape(2, 6),
          rtol=0, atol=0, what="merge_heads(heads)")


def test_multi_head_attention_small(student, draw):
    """multi_head_attention = attention per head (scale 1/sqrt(dh)), heads concatenated, then @ w_o."""
    L, d, H = 3, 6, 2
    dh = d // H
    x = draw.normal(L, d)
    w_q, w_k, w_v, w_o = (draw.normal(d, d, scale=0.5) for _ in range(4))
    q, k, v = x @ w_q, x @ w_k, x @ w_v
    heads = []
    for h in range(H):
        cols = slice(h * dh, (h + 1) * dh)
        weights = torch.softmax(q[:, cols] @ k[:, cols].T / math.sqrt(dh), dim=-1)
        heads.append(weights @ v[:, cols])
    expected = torch.cat(heads, dim=-1) @ w_o
    close(student.multi_head_attention.multi_head_attention(x, w_q, w_k, w_v, w_o, H), expected,
          what="multi_head_attention(x, w_q, w_k, w_v, w_o, 2)")


def test_num_heads_must_divide_d(student, draw):
    """multi_head_attention raises ValueError when num_heads does not divide d."""
    x = draw.normal(3, 6)
    w = [draw.normal(6, 6) for _ in range(4)]
    raises_value_error(student.multi_head_attention.multi_head_attention, x, *w, 4, names=("num_heads", "heads"),
                       what="multi_head_attention with d = 6 and num_heads = 4")
