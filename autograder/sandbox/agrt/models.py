"""Model callables defined by data, built inside the sandbox for ``generate``.

The grader cannot pass a function across the boundary, so it passes a description and the sandbox
builds a small, deterministic model from it. The model records every context it was called with so
that the grader can check cropping and stopping without trusting the student's own account.
"""

from __future__ import annotations

import torch

MAX_LOGGED_CALLS = 10_000


class ContextModel:
    """logits(ctx) = last[ctx[-1]] + first[ctx[0]] + length[len(ctx) % P].

    Depending on the first id of the window makes context cropping visible in the output; the
    length term makes an off-by-one in the window size visible too.
    """

    def __init__(self, last: torch.Tensor, first: torch.Tensor, length: torch.Tensor):
        self.last = last.to(torch.float32)
        self.first = first.to(torch.float32)
        self.length = length.to(torch.float32)
        self.calls: list[list[int]] = []
        self.vocab = self.last.shape[-1]

    def __call__(self, ids) -> torch.Tensor:
        ctx = [int(i) for i in (ids.tolist() if isinstance(ids, torch.Tensor) else list(ids))]
        if len(self.calls) < MAX_LOGGED_CALLS:
            self.calls.append(ctx)
        if not ctx:
            raise ValueError("the model was called with an empty context")
        for i in (ctx[0], ctx[-1]):
            if not 0 <= i < self.vocab:
                raise ValueError(f"the model was called with an unknown token id {i}")
        return self.last[ctx[-1]] + self.first[ctx[0]] + self.length[len(ctx) % self.length.shape[0]]


def build_model(spec: dict, decode_array):
    if not isinstance(spec, dict) or spec.get("kind") != "context":
        raise ValueError("unknown model spec")
    return ContextModel(decode_array(spec["last"]), decode_array(spec["first"]), decode_array(spec["length"]))
