"""Known mistakes in mask.py (the causal mask), each the reference with one concept changed."""

from autograder.mistakes import Mistake

_VISIBLE = "    visible = key_pos <= query_pos + offset  # [q_len, k_len]\n"
_RETURN = "    return torch.where(visible, zero, blocked)\n"

MISTAKES = [
    Mistake(
        id="diagonal-blocked",
        name={"en": "diagonal blocked: a query cannot see its own position",
              "es": "diagonal bloqueada: una consulta no puede verse a sí misma"},
        fix={"en": "Query i sees keys j <= i + (k_len - q_len), including the key at its own position: use <=, not < "
                   "(with triu, use diagonal = offset + 1 for the blocked part).",
             "es": "La consulta i ve las claves j <= i + (k_len - q_len), incluida la de su propia posición: usa <=, no < "
                   "(con triu, usa diagonal = offset + 1 para la parte bloqueada)."},
        patch=[(_VISIBLE, "    visible = key_pos < query_pos + offset  # [q_len, k_len]\n")],
    ),
    Mistake(
        id="offset-ignored",
        name={"en": "k_len - q_len offset ignored (queries treated as the first positions)",
              "es": "se ignora el desplazamiento k_len - q_len (las consultas se tratan como las primeras posiciones)"},
        fix={"en": "The q_len queries are the LAST positions of the k_len keys, so query i sees keys "
                   "j <= i + (k_len - q_len). Shift the diagonal by k_len - q_len.",
             "es": "Las q_len consultas son las ÚLTIMAS posiciones de las k_len claves, así que la consulta i ve las claves "
                   "j <= i + (k_len - q_len). Desplaza la diagonal en k_len - q_len."},
        patch=[("    offset = k_len - q_len\n", "    offset = 0\n")],
    ),
    Mistake(
        id="offset-wrong-sign",
        name={"en": "offset with the wrong sign (q_len - k_len)",
              "es": "desplazamiento con el signo cambiado (q_len - k_len)"},
        fix={"en": "With more keys than queries each query sees MORE keys, not fewer: the offset is k_len - q_len (>= 0).",
             "es": "Con más claves que consultas cada consulta ve MÁS claves, no menos: el desplazamiento es k_len - q_len (>= 0)."},
        patch=[("    offset = k_len - q_len\n", "    offset = q_len - k_len\n")],
    ),
    Mistake(
        id="future-visible",
        name={"en": "triangles swapped: queries see the future and the past is blocked",
              "es": "triángulos intercambiados: las consultas ven el futuro y el pasado queda bloqueado"},
        fix={"en": "Block the keys AFTER the query (upper triangle, j > i + offset) and keep the ones before it: -inf goes "
                   "above the diagonal (torch.triu(..., diagonal=offset + 1)), zeros on and below it.",
             "es": "Bloquea las claves POSTERIORES a la consulta (triángulo superior, j > i + offset) y conserva las anteriores: "
                   "-inf va por encima de la diagonal (torch.triu(..., diagonal=offset + 1)) y ceros en ella y por debajo."},
        patch=[(_VISIBLE, "    visible = key_pos >= query_pos + offset  # [q_len, k_len]\n")],
    ),
    Mistake(
        id="shape-k-by-q",
        name={"en": "mask built as [k_len, q_len] (rows are keys)",
              "es": "máscara construida como [k_len, q_len] (las filas son claves)"},
        fix={"en": "The mask is added to scores of shape [q_len, k_len]: rows are queries and columns are keys. Build it "
                   "with the query index on the first axis and do not transpose it.",
             "es": "La máscara se suma a puntuaciones de forma [q_len, k_len]: las filas son consultas y las columnas claves. "
                   "Constrúyela con el índice de consulta en el primer eje y no la traspongas."},
        patch=[(_VISIBLE, "    visible = (key_pos <= query_pos + offset).T  # [k_len, q_len]\n")],
    ),
    Mistake(
        id="boolean-mask",
        name={"en": "boolean mask instead of an additive 0 / -inf mask",
              "es": "máscara booleana en lugar de una máscara aditiva 0 / -inf"},
        fix={"en": "The mask is ADDED to the scores: return a float32 tensor with 0.0 where the key is visible and "
                   "-inf where it is blocked, e.g. torch.where(visible, 0.0, float('-inf')).",
             "es": "La máscara se SUMA a las puntuaciones: devuelve un tensor float32 con 0.0 donde la clave es visible y "
                   "-inf donde está bloqueada, por ejemplo torch.where(visible, 0.0, float('-inf'))."},
        patch=[(_RETURN, "    return visible\n")],
    ),
    Mistake(
        id="multiplicative-one-zero-mask",
        name={"en": "1/0 (multiplicative) mask instead of 0/-inf (additive)",
              "es": "máscara 1/0 (multiplicativa) en lugar de 0/-inf (aditiva)"},
        fix={"en": "Visible keys must be 0.0 (adding 0 leaves the score alone) and blocked keys -inf (the softmax gives "
                   "them weight 0). A 1/0 mask only works if you multiply, and multiplying scores by 0 does not block.",
             "es": "Las claves visibles deben valer 0.0 (sumar 0 no cambia la puntuación) y las bloqueadas -inf (la softmax "
                   "les da peso 0). Una máscara 1/0 solo sirve para multiplicar, y multiplicar una puntuación por 0 no la bloquea."},
        patch=[(_RETURN, "    return visible.to(torch.float32)\n")],
    ),
    Mistake(
        id="large-negative-instead-of-inf",
        name={"en": "-1e9 instead of -inf for blocked keys",
              "es": "-1e9 en lugar de -inf para las claves bloqueadas"},
        fix={"en": "The contract asks for exactly -inf in the blocked entries (float('-inf')); a large negative number "
                   "such as -1e9 is not the same value.",
             "es": "El contrato pide exactamente -inf en las entradas bloqueadas (float('-inf')); un número muy negativo "
                   "como -1e9 no es el mismo valor."},
        patch=[('    blocked = torch.tensor(float("-inf"), dtype=torch.float32)\n',
                "    blocked = torch.tensor(-1e9, dtype=torch.float32)\n")],
    ),
    Mistake(
        id="plus-inf",
        name={"en": "+inf instead of -inf for blocked keys",
              "es": "+inf en lugar de -inf para las claves bloqueadas"},
        fix={"en": "Blocked keys get MINUS infinity (float('-inf')): exp(-inf) = 0 removes them from the softmax, "
                   "while +inf makes them dominate and produces NaN.",
             "es": "Las claves bloqueadas llevan MENOS infinito (float('-inf')): exp(-inf) = 0 las elimina de la softmax, "
                   "mientras que +inf las hace dominar y produce NaN."},
        patch=[('float("-inf")', 'float("inf")')],
    ),
    Mistake(
        id="nan-from-zero-times-inf",
        name={"en": "mask built as -inf * (1 - tril): 0 * -inf gives NaN",
              "es": "máscara construida como -inf * (1 - tril): 0 * -inf da NaN"},
        fix={"en": "0 * -inf is NaN, so multiplying a 0/1 matrix by -inf puts NaN in every visible entry. Select instead: "
                   "torch.zeros(...).masked_fill(blocked, float('-inf')) or torch.where(visible, 0.0, -inf).",
             "es": "0 * -inf es NaN, así que multiplicar una matriz de 0/1 por -inf pone NaN en todas las entradas visibles. "
                   "Selecciona en su lugar: torch.zeros(...).masked_fill(bloqueadas, float('-inf')) o torch.where(visible, 0.0, -inf)."},
        patch=[(_RETURN, "    return blocked * (~visible).to(torch.float32)\n")],
    ),
    Mistake(
        id="float64-mask",
        name={"en": "mask returned as float64",
              "es": "máscara devuelta en float64"},
        fix={"en": "The contract asks for a float32 mask: create the tensors with dtype=torch.float32 "
                   "(torch.full/zeros default to float32; numpy defaults to float64, so convert).",
             "es": "El contrato pide una máscara float32: crea los tensores con dtype=torch.float32 "
                   "(torch.full/zeros usan float32 por defecto; numpy usa float64, así que conviértela)."},
        patch=[('    zero = torch.tensor(0.0, dtype=torch.float32)\n    blocked = torch.tensor(float("-inf"), dtype=torch.float32)\n',
                '    zero = torch.tensor(0.0, dtype=torch.float64)\n    blocked = torch.tensor(float("-inf"), dtype=torch.float64)\n')],
    ),
    Mistake(
        id="extra-batch-dimension",
        name={"en": "mask returned with an extra leading dimension ([1, q_len, k_len])",
              "es": "máscara devuelta con una dimensión extra al principio ([1, q_len, k_len])"},
        fix={"en": "Return exactly [q_len, k_len]; broadcasting over batch and heads happens when the mask is added "
                   "to the scores, so there is no need for unsqueeze(0).",
             "es": "Devuelve exactamente [q_len, k_len]; la difusión sobre lotes y cabezas ocurre al sumar la máscara a las "
                   "puntuaciones, así que no hace falta unsqueeze(0)."},
        patch=[(_RETURN, "    return torch.where(visible, zero, blocked).unsqueeze(0)\n")],
    ),
    Mistake(
        id="k-len-ignored",
        name={"en": "k_len ignored: the mask is always square",
              "es": "se ignora k_len: la máscara siempre es cuadrada"},
        fix={"en": "Use k_len when it is given (only None means k_len = q_len): the mask has shape [q_len, k_len].",
             "es": "Usa k_len cuando se pasa (solo None significa k_len = q_len): la máscara tiene forma [q_len, k_len]."},
        patch=[("    if k_len is None:\n        k_len = q_len\n", "    k_len = q_len\n")],
    ),
    Mistake(
        id="k-len-has-no-default",
        name={"en": "k_len has no default value (causal_mask(n) fails)",
              "es": "k_len no tiene valor por defecto (causal_mask(n) falla)"},
        fix={"en": "Declare the parameter as k_len: int | None = None and use q_len when it is None, so causal_mask(n) "
                   "gives the square mask.",
             "es": "Declara el parámetro como k_len: int | None = None y usa q_len cuando sea None, para que causal_mask(n) "
                   "devuelva la máscara cuadrada."},
        patch=[("def causal_mask(q_len: int, k_len: int | None = None)", "def causal_mask(q_len: int, k_len: int | None)")],
    ),
    Mistake(
        id="no-error-for-fewer-keys",
        name={"en": "no ValueError when k_len < q_len",
              "es": "no se lanza ValueError cuando k_len < q_len"},
        fix={"en": "The queries are the last q_len of the k_len positions, so k_len < q_len is impossible: raise "
                   "ValueError naming k_len.",
             "es": "Las consultas son las últimas q_len de las k_len posiciones, así que k_len < q_len es imposible: lanza "
                   "ValueError mencionando k_len."},
        patch=[('    if k_len < q_len:\n        raise ValueError(f"k_len must be >= q_len, got k_len={k_len} < q_len={q_len}")\n', "")],
    ),
]
