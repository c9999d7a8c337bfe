"""Oracle for lm_head.py: torch.addmm-style projection, torch.softmax, sorted()."""
import numpy as np
import torch


def _as_tensor(x, name):
    if isinstance(x, torch.Tensor):
        return x
    if isinstance(x, np.ndarray):
        return torch.from_numpy(np.array(x, copy=True))
    raise ValueError(f"{name} must be a torch.Tensor, got {type(x).__name__}")


def lm_head(h, w_out, b_out=None):
    """torch.matmul(h, w_out) + b_out."""
    H, W = _as_tensor(h, "h"), _as_tensor(w_out, "w_out")
    if W.dim() != 2:
        raise ValueError("w_out must be [d, V]")
    if H.dim() < 1 or H.size(-1) != W.size(0):
        raise ValueError(f"h must be [..., {W.size(0)}]")
    dt = torch.promote_types(H.dtype, W.dtype)
    out = torch.matmul(H.to(dt), W.to(dt))
    if b_out is not None:
        B = _as_tensor(b_out, "b_out")
        if B.shape != (W.size(1),):
            raise ValueError(f"b_out must be [{W.size(1)}] or None")
        out = torch.add(out, B)
    return out.detach().numpy() if isinstance(h, np.ndarray) else out


def next_token_probs(logits, temperature=1.0):
    """torch.softmax(logits / temperature, -1)."""
    real = (int, float, np.integer, np.floating)
    if type(temperature) is bool or not isinstance(temperature, real) or not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature!r}")
    z = _as_tensor(logits, "logits")
    if z.dim() < 1:
        raise ValueError("logits must be [..., V]")
    if not z.is_floating_point():
        z = z.to(torch.get_default_dtype())
    out = torch.softmax(torch.div(z, float(temperature)), dim=-1)
    return out.detach().numpy() if isinstance(logits, np.ndarray) else out


def top_tokens(probs, k):
    """sorted() on (-p, id)."""
    p = _as_tensor(probs, "probs")
    if p.dim() != 1:
        raise ValueError("probs must be [V]")
    if type(k) is bool or not isinstance(k, (int, np.integer)) or k < 0 or k > p.numel():
        raise ValueError(f"k must be an int in [0, {p.numel()}], got {k!r}")
    values = p.tolist()
    ranked = sorted(range(len(values)), key=lambda i: (-values[i], i))[: int(k)]
    return [(i, float(values[i])) for i in ranked]
