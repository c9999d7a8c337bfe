"""Known mistakes in feed_forward.py, each the reference with one concept changed."""

from autograder.mistakes import Mistake

_GELU = "    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))\n"
_RELU = "    return torch.clamp(x, min=0.0)\n"
_HIDDEN = "    hidden = activations[activation](x @ w1 + b1)  # [..., f]\n"
_OUT = "    return hidden @ w2 + b2\n"

MISTAKES = [
    # ------------------------------------------------------------------ GELU
    Mistake(
        id="gelu-tanh-approximation",
        name={"en": "GELU with the tanh approximation instead of the exact erf form",
              "es": "GELU con la aproximación de tanh en lugar de la forma exacta con erf"},
        fix={"en": "The contract asks for the exact GELU: 0.5 * x * (1 + torch.erf(x / math.sqrt(2))). The tanh formula "
                   "(0.044715 x^3) is an approximation that differs by up to about 3e-4.",
             "es": "El contrato pide la GELU exacta: 0.5 * x * (1 + torch.erf(x / math.sqrt(2))). La fórmula con tanh "
                   "(0.044715 x^3) es una aproximación que difiere hasta unos 3e-4."},
        patch=[(_GELU, "    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))\n")],
    ),
    Mistake(
        id="gelu-sigmoid-approximation",
        name={"en": "GELU approximated as x * sigmoid(1.702 x)",
              "es": "GELU aproximada como x * sigmoid(1.702 x)"},
        fix={"en": "x * sigmoid(1.702 x) is a rough approximation; use the exact 0.5 * x * (1 + erf(x / sqrt(2))).",
             "es": "x * sigmoid(1.702 x) es una aproximación burda; usa la forma exacta 0.5 * x * (1 + erf(x / sqrt(2)))."},
        patch=[(_GELU, "    return x * torch.sigmoid(1.702 * x)\n")],
    ),
    Mistake(
        id="gelu-missing-sqrt2",
        name={"en": "GELU uses erf(x) instead of erf(x / sqrt(2))",
              "es": "GELU usa erf(x) en lugar de erf(x / sqrt(2))"},
        fix={"en": "GELU is x times the standard normal CDF, Phi(x) = 0.5 * (1 + erf(x / sqrt(2))): divide x by "
                   "math.sqrt(2) inside erf.",
             "es": "GELU es x por la función de distribución normal estándar, Phi(x) = 0.5 * (1 + erf(x / sqrt(2))): divide x "
                   "entre math.sqrt(2) dentro de erf."},
        patch=[(_GELU, "    return 0.5 * x * (1.0 + torch.erf(x))\n")],
    ),
    Mistake(
        id="gelu-missing-half",
        name={"en": "GELU without the factor 0.5",
              "es": "GELU sin el factor 0.5"},
        fix={"en": "Phi(x) = 0.5 * (1 + erf(x / sqrt(2))) goes from 0 to 1; without the 0.5 it goes up to 2 and GELU "
                   "doubles. Use 0.5 * x * (1 + erf(x / sqrt(2))).",
             "es": "Phi(x) = 0.5 * (1 + erf(x / sqrt(2))) va de 0 a 1; sin el 0.5 llega hasta 2 y la GELU se duplica. "
                   "Usa 0.5 * x * (1 + erf(x / sqrt(2)))."},
        patch=[(_GELU, "    return x * (1.0 + torch.erf(x / math.sqrt(2.0)))\n")],
    ),
    Mistake(
        id="gelu-is-the-cdf",
        name={"en": "GELU returns Phi(x) instead of x * Phi(x)",
              "es": "GELU devuelve Phi(x) en vez de x * Phi(x)"},
        fix={"en": "GELU(x) = x * Phi(x): multiply the normal CDF 0.5 * (1 + erf(x / sqrt(2))) by x.",
             "es": "GELU(x) = x * Phi(x): multiplica la función de distribución normal 0.5 * (1 + erf(x / sqrt(2))) por x."},
        patch=[(_GELU, "    return 0.5 * (1.0 + torch.erf(x / math.sqrt(2.0)))\n")],
    ),
    # ------------------------------------------------------------------ ReLU
    Mistake(
        id="leaky-relu",
        name={"en": "leaky ReLU (0.01 x for negatives) instead of ReLU",
              "es": "ReLU con fugas (0.01 x para los negativos) en lugar de ReLU"},
        fix={"en": "ReLU sets every negative entry to exactly 0: torch.clamp(x, min=0) or torch.maximum(x, 0).",
             "es": "ReLU pone exactamente a 0 cada entrada negativa: torch.clamp(x, min=0) o torch.maximum(x, 0)."},
        patch=[(_RELU, "    return torch.where(x > 0, x, 0.01 * x)\n")],
    ),
    Mistake(
        id="relu-in-place",
        name={"en": "ReLU modifies its input in place",
              "es": "ReLU modifica su entrada en el sitio"},
        fix={"en": "x.clamp_() / x.relu_() / x[x < 0] = 0 change the caller's tensor. Return a new tensor instead: "
                   "torch.clamp(x, min=0).",
             "es": "x.clamp_() / x.relu_() / x[x < 0] = 0 modifican el tensor de quien llama. Devuelve un tensor nuevo: "
                   "torch.clamp(x, min=0)."},
        patch=[(_RELU, "    return x.clamp_(min=0.0)\n")],
    ),
    # ------------------------------------------------------------------ the network
    Mistake(
        id="missing-b1",
        name={"en": "first bias b1 not added",
              "es": "no se suma el primer sesgo b1"},
        fix={"en": "The hidden layer is act(x @ w1 + b1): add b1 before the activation.",
             "es": "La capa oculta es act(x @ w1 + b1): suma b1 antes de la activación."},
        patch=[(_HIDDEN, "    hidden = activations[activation](x @ w1)  # [..., f]\n")],
    ),
    Mistake(
        id="missing-b2",
        name={"en": "second bias b2 not added",
              "es": "no se suma el segundo sesgo b2"},
        fix={"en": "The output is hidden @ w2 + b2: add b2 after the second matrix product.",
             "es": "La salida es hidden @ w2 + b2: suma b2 después del segundo producto de matrices."},
        patch=[(_OUT, "    return hidden @ w2\n")],
    ),
    Mistake(
        id="b1-after-activation",
        name={"en": "b1 added after the activation instead of before",
              "es": "b1 se suma después de la activación en vez de antes"},
        fix={"en": "The bias goes inside the activation: act(x @ w1 + b1), not act(x @ w1) + b1.",
             "es": "El sesgo va dentro de la activación: act(x @ w1 + b1), no act(x @ w1) + b1."},
        patch=[(_HIDDEN, "    hidden = activations[activation](x @ w1) + b1  # [..., f]\n")],
    ),
    Mistake(
        id="activation-after-second-layer",
        name={"en": "activation applied to the output of the second layer too",
              "es": "la activación se aplica también a la salida de la segunda capa"},
        fix={"en": "Only the hidden layer has an activation: the output is act(x @ w1 + b1) @ w2 + b2, with no "
                   "activation after the second linear layer.",
             "es": "Solo la capa oculta lleva activación: la salida es act(x @ w1 + b1) @ w2 + b2, sin activación después "
                   "de la segunda capa lineal."},
        patch=[(_OUT, "    return activations[activation](hidden @ w2 + b2)\n")],
    ),
    Mistake(
        id="residual-added",
        name={"en": "residual connection added inside the feed-forward network",
              "es": "conexión residual sumada dentro de la red feed-forward"},
        fix={"en": "feed_forward returns only act(x @ w1 + b1) @ w2 + b2; the residual x + FFN(x) belongs to the "
                   "transformer block, not to this function.",
             "es": "feed_forward devuelve solo act(x @ w1 + b1) @ w2 + b2; la residual x + FFN(x) pertenece al bloque "
                   "transformer, no a esta función."},
        patch=[(_OUT, "    return x + hidden @ w2 + b2\n")],
    ),
    Mistake(
        id="weights-transposed",
        name={"en": "weights used transposed (nn.Linear convention x @ W.T)",
              "es": "pesos usados traspuestos (convención de nn.Linear x @ W.T)"},
        fix={"en": "In this course weights are (d_in, d_out) and projections are right-multiplications: x @ w1 with "
                   "w1 of shape [d, f], then @ w2 with w2 of shape [f, d]. Do not transpose them.",
             "es": "En este curso los pesos son (d_in, d_out) y las proyecciones se multiplican por la derecha: x @ w1 con "
                   "w1 de forma [d, f] y luego @ w2 con w2 de forma [f, d]. No los traspongas."},
        patch=[(_HIDDEN, "    hidden = activations[activation](x @ w1.T + b1)  # [..., f]\n"),
               (_OUT, "    return hidden @ w2.T + b2\n")],
    ),
    Mistake(
        id="default-activation-relu",
        name={"en": "default activation is ReLU instead of GELU",
              "es": "la activación por defecto es ReLU en lugar de GELU"},
        fix={"en": "The signature is feed_forward(x, w1, b1, w2, b2, activation=\"gelu\"): GELU is the default.",
             "es": "La firma es feed_forward(x, w1, b1, w2, b2, activation=\"gelu\"): GELU es la opción por defecto."},
        patch=[('    activation: str = "gelu",\n', '    activation: str = "relu",\n')],
    ),
    Mistake(
        id="relu-gelu-swapped",
        name={"en": "activation names swapped (\"relu\" runs GELU and \"gelu\" runs ReLU)",
              "es": "nombres de activación intercambiados (\"relu\" ejecuta GELU y \"gelu\" ejecuta ReLU)"},
        fix={"en": "Map \"relu\" to relu and \"gelu\" to gelu.",
             "es": "Asocia \"relu\" con relu y \"gelu\" con gelu."},
        patch=[('    activations = {"relu": relu, "gelu": gelu}\n', '    activations = {"relu": gelu, "gelu": relu}\n')],
    ),
    Mistake(
        id="unknown-activation-falls-back",
        name={"en": "an unknown activation silently falls back to GELU",
              "es": "una activación desconocida recurre en silencio a GELU"},
        fix={"en": "Only \"relu\" and \"gelu\" are valid: for any other value raise ValueError naming activation instead "
                   "of an if/else that treats everything that is not \"relu\" as GELU.",
             "es": "Solo \"relu\" y \"gelu\" son válidas: con cualquier otro valor lanza ValueError mencionando activation en "
                   "vez de un if/else que trata como GELU todo lo que no sea \"relu\"."},
        patch=[('    if not isinstance(activation, str) or activation not in activations:\n'
                '        raise ValueError(f\'activation must be "relu" or "gelu", got {activation!r}\')\n', ""),
               (_HIDDEN, '    hidden = (relu if activation == "relu" else gelu)(x @ w1 + b1)  # [..., f]\n')],
    ),
]
