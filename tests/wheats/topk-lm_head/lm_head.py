"""LM head with F.linear, log_softmax and torch.topk plus an explicit tie rule (a correct alternative)."""
import torch
import torch.nn.functional as F


def lm_head(h, w_out, b_out=None):
    if not isinstance(w_out, torch.Tensor) or w_out.dim() != 2:
        raise ValueError("w_out must be [d, V]")
    if not isinstance(h, torch.Tensor) or h.shape[-1] != w_out.shape[0]:
        raise ValueError("h must be [..., d] matching w_out")
    if b_out is not None and (not isinstance(b_out, torch.Tensor) or b_out.shape != (w_out.shape[1],)):
        raise ValueError("b_out must be [V]")
    return F.linear(h, w_out.t(), b_out)  # F.linear(x, W, b) = x @ W^T + b


def next_token_probs(logits, temperature=1.0):
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float)) or not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature!r}")
    if not isinstance(logits, torch.Tensor):
        raise ValueError("logits must be a tensor")
    return F.log_softmax(logits / temperature, dim=-1).exp()


def top_tokens(probs, k):
    if not isinstance(probs, torch.Tensor) or probs.dim() != 1:
        raise ValueError("probs must be a 1-D tensor")
    if isinstance(k, bool) or not isinstance(k, int) or k < 0 or k > probs.numel():
        raise ValueError(f"k must be in [0, V], got {k!r}")
    if k == 0:
        return []
    # topk gives the k-th largest value; ids tied at that value are chosen by id, lower first.
    kth = torch.topk(probs, k).values[-1]
    candidates = torch.nonzero(probs >= kth).flatten().tolist()
    candidates.sort(key=lambda i: (-float(probs[i]), i))
    return [(i, float(probs[i])) for i in candidates[:k]]
