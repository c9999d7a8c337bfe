"""Known mistakes in positional_encoding.py, each the reference with one concept changed."""

from autograder.mistakes import Mistake

_PE_WHERE = "    pe = torch.where(columns % 2 == 0, torch.sin(angles), torch.cos(angles))\n"

_PE_BODY = '''    columns = torch.arange(d_model)
    two_i = (columns - columns % 2).to(torch.float64)  # 2i for both column 2i and 2i+1
    angles = positions / 10000.0 ** (two_i / d_model)  # [L, d]
    pe = torch.where(columns % 2 == 0, torch.sin(angles), torch.cos(angles))
'''

_RANGE_CHECK = '''    if token_ids.numel() > 0 and (int(token_ids.min()) < 0 or int(token_ids.max()) >= vocab_size):
        raise ValueError(
            f"token_ids must lie in [0, {vocab_size}), got min {int(token_ids.min())} and max {int(token_ids.max())}"
        )
'''

_PE_CALL = "    pe = sinusoidal_positional_encoding(token_ids.shape[-1], table.shape[1])\n"

MISTAKES = [
    # ------------------------------------------------------------------ the sinusoidal table
    Mistake(
        id="sin-cos-swapped",
        name={"en": "sine and cosine swapped (cosine in the even columns)",
              "es": "seno y coseno intercambiados (coseno en las columnas pares)"},
        fix={"en": "Even columns 2i hold the sine and odd columns 2i+1 the cosine: PE[p, 2i] = sin(angle), "
                   "PE[p, 2i+1] = cos(angle). Row 0 must be [0, 1, 0, 1, ...].",
             "es": "Las columnas pares 2i llevan el seno y las impares 2i+1 el coseno: PE[p, 2i] = sin(ángulo), "
                   "PE[p, 2i+1] = cos(ángulo). La fila 0 debe ser [0, 1, 0, 1, ...]."},
        patch=[("torch.where(columns % 2 == 0, torch.sin(angles), torch.cos(angles))",
                "torch.where(columns % 2 == 0, torch.cos(angles), torch.sin(angles))")],
    ),
    Mistake(
        id="sin-cos-concatenated",
        name={"en": "sines and cosines side by side (first half sin, second half cos) instead of interleaved",
              "es": "senos y cosenos uno al lado del otro (primera mitad senos, segunda cosenos) en vez de intercalados"},
        fix={"en": "The columns alternate: column 2i is sin and column 2i+1 is cos of the SAME angle. Fill them with "
                   "pe[:, 0::2] = sin(...) and pe[:, 1::2] = cos(...) instead of torch.cat([sin, cos], dim=-1).",
             "es": "Las columnas se alternan: la columna 2i es el seno y la 2i+1 el coseno del MISMO ángulo. Rellénalas con "
                   "pe[:, 0::2] = sin(...) y pe[:, 1::2] = cos(...) en vez de torch.cat([sin, cos], dim=-1)."},
        patch=[(_PE_WHERE,
                "    freq_angles = angles[:, 0::2]  # [L, ceil(d/2)]\n"
                "    pe = torch.cat([torch.sin(freq_angles), torch.cos(freq_angles)], dim=1)[:, :d_model]\n")],
    ),
    Mistake(
        id="exponent-uses-i-not-2i",
        name={"en": "exponent i/d_model instead of 2i/d_model",
              "es": "exponente i/d_model en lugar de 2i/d_model"},
        fix={"en": "For the pair of columns (2i, 2i+1) the angle is p / 10000^(2i / d_model): use the even column index "
                   "2i in the exponent, not the pair number i.",
             "es": "Para el par de columnas (2i, 2i+1) el ángulo es p / 10000^(2i / d_model): usa el índice de columna par "
                   "2i en el exponente, no el número de par i."},
        patch=[("    two_i = (columns - columns % 2).to(torch.float64)", "    two_i = (columns // 2).to(torch.float64)")],
    ),
    Mistake(
        id="exponent-uses-column-index",
        name={"en": "each column uses its own index j in the exponent (cos column not paired with its sine)",
              "es": "cada columna usa su propio índice j en el exponente (el coseno no comparte ángulo con su seno)"},
        fix={"en": "Columns 2i and 2i+1 share the angle p / 10000^(2i / d_model). For an odd column j use j - 1 "
                   "(i.e. j - j % 2) in the exponent, not j.",
             "es": "Las columnas 2i y 2i+1 comparten el ángulo p / 10000^(2i / d_model). Para una columna impar j usa j - 1 "
                   "(es decir, j - j % 2) en el exponente, no j."},
        patch=[("    two_i = (columns - columns % 2).to(torch.float64)", "    two_i = columns.to(torch.float64)")],
    ),
    Mistake(
        id="base-1000",
        name={"en": "base 1000 instead of 10000 in the frequencies",
              "es": "base 1000 en lugar de 10000 en las frecuencias"},
        fix={"en": "The wavelengths grow with 10000^(2i / d_model): the constant is ten thousand (10000.0), not 1000.",
             "es": "Las longitudes de onda crecen con 10000^(2i / d_model): la constante es diez mil (10000.0), no 1000."},
        patch=[("positions / 10000.0 ** (two_i / d_model)", "positions / 1000.0 ** (two_i / d_model)")],
    ),
    Mistake(
        id="frequency-inverted",
        name={"en": "position multiplied by 10000^(2i/d) instead of divided",
              "es": "la posición se multiplica por 10000^(2i/d) en lugar de dividirse"},
        fix={"en": "The angle is p / 10000^(2i / d_model) (equivalently p * 10000^(-2i / d_model)): the frequency gets "
                   "SMALLER for higher columns. Check the sign of the exponent.",
             "es": "El ángulo es p / 10000^(2i / d_model) (o sea, p * 10000^(-2i / d_model)): la frecuencia se hace MÁS "
                   "PEQUEÑA en las columnas altas. Revisa el signo del exponente."},
        patch=[("positions / 10000.0 ** (two_i / d_model)", "positions * 10000.0 ** (two_i / d_model)")],
    ),
    Mistake(
        id="positions-start-at-1",
        name={"en": "positions counted from 1 instead of 0",
              "es": "posiciones contadas desde 1 en lugar de 0"},
        fix={"en": "The first position is p = 0 (torch.arange(seq_len)), so row 0 of the table is [0, 1, 0, 1, ...].",
             "es": "La primera posición es p = 0 (torch.arange(seq_len)), así que la fila 0 de la tabla es [0, 1, 0, 1, ...]."},
        patch=[("torch.arange(seq_len, dtype=torch.float64)", "torch.arange(1, seq_len + 1, dtype=torch.float64)")],
    ),
    # ------------------------------------------------------------------ embed
    Mistake(
        id="embed-no-range-check",
        name={"en": "embed does not check the ids (negative ids wrap around, large ids raise IndexError)",
              "es": "embed no comprueba los ids (los negativos dan la vuelta y los grandes lanzan IndexError)"},
        fix={"en": "Before indexing, check 0 <= id < V for every id (token_ids.min() and token_ids.max()) and raise "
                   "ValueError naming token_ids: table[-1] silently returns the last row.",
             "es": "Antes de indexar, comprueba 0 <= id < V para todos los ids (token_ids.min() y token_ids.max()) y lanza "
                   "ValueError mencionando token_ids: table[-1] devuelve en silencio la última fila."},
        patch=[(_RANGE_CHECK, "")],
    ),
    Mistake(
        id="embed-negative-ids-accepted",
        name={"en": "embed checks only the upper bound (negative ids wrap around)",
              "es": "embed solo comprueba el límite superior (los ids negativos dan la vuelta)"},
        fix={"en": "A negative id is invalid too: PyTorch indexing counts it from the end of the table. Also raise "
                   "ValueError when token_ids.min() < 0.",
             "es": "Un id negativo también es inválido: la indexación de PyTorch lo cuenta desde el final de la tabla. "
                   "Lanza ValueError también cuando token_ids.min() < 0."},
        patch=[("(int(token_ids.min()) < 0 or int(token_ids.max()) >= vocab_size)", "int(token_ids.max()) >= vocab_size")],
    ),
    Mistake(
        id="embed-id-equal-to-v-accepted",
        name={"en": "embed range check off by one (id == V accepted)",
              "es": "comprobación de rango de embed desfasada en uno (se acepta id == V)"},
        fix={"en": "Valid ids are 0..V-1: reject token_ids.max() >= V (not > V), raising ValueError.",
             "es": "Los ids válidos son 0..V-1: rechaza token_ids.max() >= V (no > V) lanzando ValueError."},
        patch=[("int(token_ids.max()) >= vocab_size)", "int(token_ids.max()) > vocab_size)")],
    ),
    Mistake(
        id="table-read-as-d-by-v",
        name={"en": "embedding table indexed by columns, as if it were [d, V]",
              "es": "tabla de embeddings indexada por columnas, como si fuera [d, V]"},
        fix={"en": "The table has shape [V, d]: token id t selects ROW t, i.e. table[token_ids], which gives [..., L, d].",
             "es": "La tabla tiene forma [V, d]: el id t selecciona la FILA t, es decir table[token_ids], que da [..., L, d]."},
        patch=[("    return table[token_ids]\n", "    return table[:, token_ids].movedim(0, -1)\n")],
    ),
    # ------------------------------------------------------------------ embed_with_positions
    Mistake(
        id="embeddings-scaled-by-sqrt-d",
        name={"en": "embeddings multiplied by sqrt(d_model) before adding the positions",
              "es": "embeddings multiplicados por sqrt(d_model) antes de sumar las posiciones"},
        fix={"en": "The course adds the positions to the plain embeddings: embed(token_ids, table) + PE[:L], with no "
                   "sqrt(d) scaling (that factor belongs to the original paper, not to this contract).",
             "es": "En el curso las posiciones se suman a los embeddings tal cual: embed(token_ids, table) + PE[:L], sin "
                   "escalar por sqrt(d) (ese factor es del artículo original, no de este contrato)."},
        patch=[("    embeddings = embed(token_ids, table)\n", "    embeddings = embed(token_ids, table) * table.shape[1] ** 0.5\n")],
    ),
    Mistake(
        id="pe-length-from-first-axis",
        name={"en": "sequence length taken from the first axis (the batch) instead of the last",
              "es": "longitud de la secuencia tomada del primer eje (el lote) en vez del último"},
        fix={"en": "token_ids has shape [..., L]: the length is token_ids.shape[-1]. With a batch, shape[0] is the batch "
                   "size, so the table has the wrong number of rows.",
             "es": "token_ids tiene forma [..., L]: la longitud es token_ids.shape[-1]. Con un lote, shape[0] es el tamaño "
                   "del lote y la tabla sale con un número de filas equivocado."},
        patch=[(_PE_CALL, "    pe = sinusoidal_positional_encoding(token_ids.shape[0], table.shape[1])\n")],
    ),
    Mistake(
        id="pe-indexed-by-token-id",
        name={"en": "positional encoding looked up by token id instead of by position",
              "es": "codificación posicional buscada por id de token en vez de por posición"},
        fix={"en": "The encoding depends on WHERE the token is, not on WHICH token it is: add PE[p] to the token at "
                   "position p, i.e. embed(...) + PE[:L] broadcast over the batch.",
             "es": "La codificación depende de DÓNDE está el token, no de QUÉ token es: suma PE[p] al token de la "
                   "posición p, es decir embed(...) + PE[:L] difundido sobre el lote."},
        patch=[(_PE_CALL, "    pe = sinusoidal_positional_encoding(table.shape[0], table.shape[1])[token_ids]\n")],
    ),
    Mistake(
        id="pe-width-from-vocab-size",
        name={"en": "positional encoding built with V columns (table.shape[0]) instead of d_model",
              "es": "codificación posicional construida con V columnas (table.shape[0]) en vez de d_model"},
        fix={"en": "The table is [V, d]: d_model is table.shape[1] (or the last axis of the embeddings), not table.shape[0].",
             "es": "La tabla es [V, d]: d_model es table.shape[1] (o el último eje de los embeddings), no table.shape[0]."},
        patch=[(_PE_CALL, "    pe = sinusoidal_positional_encoding(token_ids.shape[-1], table.shape[0])\n")],
    ),
    # ------------------------------------------------------------------ odd d_model (after the embed_with_positions
    # mistakes: an odd-d crash inside embed_with_positions raises the same RuntimeError as they do)
    Mistake(
        id="odd-d-model-crashes",
        name={"en": "odd d_model crashes (cosine columns assigned one frequency too many)",
              "es": "d_model impar provoca un error (se asigna una frecuencia de más a las columnas de coseno)"},
        fix={"en": "For odd d_model there are ceil(d/2) sine columns but only floor(d/2) cosine columns: assign "
                   "pe[:, 1::2] = cos(angles[:, :d_model // 2]) so the shapes match; the last column is a sine.",
             "es": "Con d_model impar hay ceil(d/2) columnas de seno pero solo floor(d/2) de coseno: asigna "
                   "pe[:, 1::2] = cos(ángulos[:, :d_model // 2]) para que coincidan las formas; la última columna es un seno."},
        patch=[("import numbers\n", "import math\nimport numbers\n"),
               (_PE_BODY,
                "    div_term = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float64) * (-math.log(10000.0) / d_model))\n"
                "    pe = torch.zeros(seq_len, d_model, dtype=torch.float64)\n"
                "    pe[:, 0::2] = torch.sin(positions * div_term)\n"
                "    pe[:, 1::2] = torch.cos(positions * div_term)\n")],
    ),
    Mistake(
        id="odd-d-model-last-column-zero",
        name={"en": "odd d_model: the last (sine) column left at zero",
              "es": "d_model impar: la última columna (de seno) se queda a cero"},
        fix={"en": "Looping over range(d_model // 2) fills only the complete (sin, cos) pairs. With an odd d_model the "
                   "last column 2i = d_model - 1 is a sine column too: fill it with sin(p / 10000^(2i / d_model)).",
             "es": "Recorrer range(d_model // 2) solo rellena los pares (sin, cos) completos. Con d_model impar la última "
                   "columna 2i = d_model - 1 también es de seno: rellénala con sin(p / 10000^(2i / d_model))."},
        patch=[(_PE_BODY,
                "    pe = torch.zeros(seq_len, d_model, dtype=torch.float64)\n"
                "    for i in range(d_model // 2):\n"
                "        angle = positions[:, 0] / 10000.0 ** (2 * i / d_model)\n"
                "        pe[:, 2 * i] = torch.sin(angle)\n"
                "        pe[:, 2 * i + 1] = torch.cos(angle)\n")],
    ),
]
