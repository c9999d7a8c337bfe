"""Known mistakes in attention.py, each the reference with one concept changed."""

from autograder.mistakes import Mistake

MISTAKES = [
    Mistake(
        id="softmax-no-max-subtraction",
        name={"en": "softmax without subtracting the maximum",
              "es": "softmax sin restar el máximo"},
        fix={"en": "Subtract x.max(dim, keepdim=True) before exp: exp overflows to inf for large logits and inf/inf is NaN.",
             "es": "Resta x.max(dim, keepdim=True) antes de exp: exp desborda a inf con logits grandes e inf/inf da NaN."},
        patch=[("    shifted = x - x.amax(dim=dim, keepdim=True)\n", "    shifted = x\n")],
    ),
    Mistake(
        id="scores-no-scaling",
        name={"en": "scores not scaled by 1/sqrt(d_k)",
              "es": "puntuaciones sin escalar por 1/sqrt(d_k)"},
        fix={"en": "When scale is None, multiply q @ k^T by 1/sqrt(d_k), d_k being the last dimension of q and k.",
             "es": "Cuando scale es None, multiplica q @ k^T por 1/sqrt(d_k), donde d_k es la última dimensión de q y k."},
        patch=[("        scale = 1.0 / math.sqrt(q.shape[-1])\n", "        scale = 1.0\n")],
    ),
]
