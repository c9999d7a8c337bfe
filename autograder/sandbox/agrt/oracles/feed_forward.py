"""Oracle for feed_forward.py: torch.nn.functional activations and F.linear."""
import numpy as np
import torch
import torch.nn.functional as F


def _as_tensor(x, name):
    if isinstance(x, torch.Tensor):
        return x
    if isinstance(x, np.ndarray):
        return torch.from_numpy(np.array(x, copy=True))
    raise ValueError(f"{name} must be a torch.Tensor, got {type(x).__name__}")


def _back(out, like):
    return out.detach().numpy() if isinstance(like, np.ndarray) else out


def relu(x):
    """F.relu."""
    return _back(F.relu(_as_tensor(x, "x")), x)


def gelu(x):
    """F.gelu(approximate='none')."""
    t = _as_tensor(x, "x")
    if not t.is_floating_point():
        t = t.to(torch.get_default_dtype())
    return _back(F.gelu(t, approximate="none"), x)


def feed_forward(x, w1, b1, w2, b2, activation="gelu"):
    """F.linear(act(F.linear(x, w1.T, b1)), w2.T, b2)."""
    if not isinstance(activation, str) or activation not in ("relu", "gelu"):
        raise ValueError(f"activation must be 'relu' or 'gelu', got {activation!r}")
    xt = _as_tensor(x, "x")
    W1, B1, W2, B2 = (_as_tensor(a, n) for a, n in ((w1, "w1"), (b1, "b1"), (w2, "w2"), (b2, "b2")))
    if xt.dim() < 1:
        raise ValueError("x must be [..., d]")
    d = xt.size(-1)
    if W1.dim() != 2 or W1.size(0) != d:
        raise ValueError(f"w1 must be [{d}, f]")
    f = W1.size(1)
    if B1.shape != (f,):
        raise ValueError(f"b1 must be [{f}]")
    if W2.shape != (f, d):
        raise ValueError(f"w2 must be [{f}, {d}]")
    if B2.shape != (d,):
        raise ValueError(f"b2 must be [{d}]")
    dt = xt.dtype
    for t in (W1, B1, W2, B2):
        dt = torch.promote_types(dt, t.dtype)
    xt, W1, B1, W2, B2 = (t.to(dt) for t in (xt, W1, B1, W2, B2))
    hid = F.linear(xt, W1.mT, B1)
    hid = F.relu(hid) if activation == "relu" else F.gelu(hid, approximate="none")
    return _back(F.linear(hid, W2.mT, B2), x)
