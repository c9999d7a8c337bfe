"""LM head with matmul and bias broadcast, float64 softmax, Python sorting (a correct alternative)."""
import torch


def lm_head(h, w_out, b_out=None):
    if not isinstance(w_out, torch.Tensor) or w_out.ndim != 2 or not isinstance(h, torch.Tensor) or h.shape[-1] != w_out.shape[0]:
        raise ValueError("h must be [..., d] and w_out [d, V]")
    bias = torch.zeros(w_out.shape[1], dtype=w_out.dtype) if b_out is None else b_out
    if bias.shape != (w_out.shape[1],):
        raise ValueError("b_out must have shape [V]")
    return torch.matmul(h, w_out) + bias


def next_token_probs(logits, temperature=1.0):
    if type(temperature) is bool or not isinstance(temperature, (int, float)) or temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature!r}")
    z = logits.to(torch.float64) / temperature
    z = z - z.amax(dim=-1, keepdim=True)
    p = z.exp()
    return (p / p.sum(dim=-1, keepdim=True)).to(torch.float32)


def top_tokens(probs, k):
    if not isinstance(probs, torch.Tensor) or probs.ndim != 1:
        raise ValueError("probs must be a 1-D tensor")
    values = probs.tolist()
    if type(k) is not int or not 0 <= k <= len(values):
        raise ValueError(f"k must be an int in [0, {len(values)}], got {k!r}")
    ranked = sorted(range(len(values)), key=lambda i: (-values[i], i))
    return [(i, values[i]) for i in ranked[:k]]
