"""Oracle for attention.py: torch.softmax and einsum, contract-exact."""
import numpy as np
import torch


def _as_tensor(x, name):
    if isinstance(x, torch.Tensor):
        return x
    if isinstance(x, np.ndarray):
        return torch.from_numpy(np.array(x, copy=True))
    raise ValueError(f"{name} must be a torch.Tensor, got {type(x).__name__}")


def _like(result, *inputs):
    """Give numpy back to a caller that passed numpy."""
    return result.detach().numpy() if isinstance(inputs[0], np.ndarray) else result


def _common(*tensors):
    dtype = tensors[0].dtype
    for t in tensors[1:]:
        dtype = torch.promote_types(dtype, t.dtype)
    if not dtype.is_floating_point:
        dtype = torch.get_default_dtype()
    return [t.to(dtype) for t in tensors]


def softmax(x, dim=-1):
    """softmax along dim via torch.softmax."""
    t = _as_tensor(x, "x")
    n = max(t.dim(), 1)
    if type(dim) is bool or not isinstance(dim, (int, np.integer)) or dim < -n or dim >= n:
        raise ValueError(f"dim={dim!r} is out of range for x with {t.dim()} dimensions")
    return _like(torch.softmax(t if t.is_floating_point() else t.to(torch.get_default_dtype()), dim=int(dim)), x)


def _scores(qt, kt, scale):
    if qt.dim() < 2:
        raise ValueError("q needs shape [..., Lq, dk]")
    if kt.dim() < 2:
        raise ValueError("k needs shape [..., Lk, dk]")
    if qt.size(-1) != kt.size(-1) or qt.size(-1) == 0:
        raise ValueError(f"q and k need the same non-zero last dim, got {tuple(qt.shape)} / {tuple(kt.shape)}")
    try:
        torch.broadcast_shapes(qt.shape[:-2], kt.shape[:-2])
    except RuntimeError:
        raise ValueError("q and k batch dims do not broadcast") from None
    if scale is None:
        s = qt.size(-1) ** -0.5
    else:
        try:
            s = float(scale)
        except (TypeError, ValueError):
            raise ValueError(f"scale must be a float or None, got {scale!r}") from None
    qt, kt = _common(qt, kt)
    return torch.einsum("...id,...jd->...ij", qt, kt) * s


def attention_scores(q, k, scale=None):
    """einsum('...id,...jd->...ij') * scale."""
    return _like(_scores(_as_tensor(q, "q"), _as_tensor(k, "k"), scale), q)


def _weights(qt, kt, mask, scale):
    z = _scores(qt, kt, scale)
    if mask is not None:
        m = _as_tensor(mask, "mask")
        if m.dtype is torch.bool:
            raise ValueError("mask must be additive floats (0 / -inf), not bool")
        try:
            torch.broadcast_shapes(m.shape, z.shape)
        except RuntimeError:
            raise ValueError(f"mask {tuple(m.shape)} does not broadcast to scores {tuple(z.shape)}") from None
        z = torch.add(z, m)
    return torch.softmax(z, dim=-1)


def attention_weights(q, k, mask=None, scale=None):
    """torch.softmax(scores + mask, -1)."""
    return _like(_weights(_as_tensor(q, "q"), _as_tensor(k, "k"), mask, scale), q)


def scaled_dot_product_attention(q, k, v, mask=None, scale=None):
    """einsum of the weights with v."""
    qt, kt, vt = _as_tensor(q, "q"), _as_tensor(k, "k"), _as_tensor(v, "v")
    if vt.dim() < 2:
        raise ValueError("v needs shape [..., Lk, dv]")
    if kt.dim() >= 2 and vt.size(-2) != kt.size(-2):
        raise ValueError(f"v needs one row per key: k {tuple(kt.shape)}, v {tuple(vt.shape)}")
    w = _weights(qt, kt, mask, scale)
    try:
        torch.broadcast_shapes(w.shape[:-2], vt.shape[:-2])
    except RuntimeError:
        raise ValueError("v batch dims do not broadcast with q and k") from None
    w, vt = _common(w, vt)
    return _like(torch.einsum("...ij,...jd->...id", w, vt), q)
