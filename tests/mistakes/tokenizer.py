"""Known mistakes in tokenizer.py (byte-level BPE), each the reference with one concept changed."""

from autograder.mistakes import Mistake

_APPLY_MERGES_BODY = '''    start = 0
    while len(tokens) > 1:
        best_rank, best_pair = None, None
        for pair in zip(tokens, tokens[1:]):
            for rank in ranks.get(pair, ()):
                if rank >= start:
                    if best_rank is None or rank < best_rank:
                        best_rank, best_pair = rank, pair
                    break
        if best_pair is None:
            break
        tokens = _merge_pair(tokens, best_pair, best_pair[0] + best_pair[1])
        start = best_rank + 1
    return tokens
'''

_VOCAB_LAYOUT = '''        for m, (first, second) in enumerate(merges):
            vocab[256 + m] = first + second
        for j, s in enumerate(specials):
            vocab[256 + len(merges) + j] = s.encode("utf-8")
'''

_HEAP_POP = '''            best = None
            while heap:  # lazy deletion: skip entries whose count is out of date
                neg_count, key = heapq.heappop(heap)
                if pair_counts.get(key.pair, 0) == -neg_count:
                    best = key.pair
                    break
'''

_VOCAB_CHECK = '''        if vocab_size < 256 + len(specials):
            raise ValueError(
                f"vocab_size must be >= 256 + len(special_tokens) = {256 + len(specials)}, got {vocab_size}"
            )
'''

MISTAKES = [
    # ------------------------------------------------------------------ counting pairs
    Mistake(
        id="pair-counts-not-weighted",
        name={"en": "pair counts not weighted by pre-token frequency",
              "es": "conteo de pares sin ponderar por la frecuencia de cada pre-token"},
        fix={"en": "Count each distinct pre-token once, remember how often it occurs, and add that frequency "
                   "(not 1) to the count of every pair it contains: a word that appears 5 times contributes 5 per pair.",
             "es": "Cuenta cada pre-token distinto una sola vez, guarda cuántas veces aparece y suma esa frecuencia "
                   "(no 1) al conteo de cada par que contiene: una palabra que aparece 5 veces aporta 5 a cada par."},
        patch=[("        freqs = list(pretoken_freq.values())\n",
                "        freqs = [1] * len(pretoken_freq)\n")],
    ),
    Mistake(
        id="pair-counted-once-per-word",
        name={"en": "a pair that repeats inside a pre-token counted only once",
              "es": "un par repetido dentro de un pre-token se cuenta una sola vez"},
        fix={"en": "Count the pair at every adjacent position, not once per pre-token: iterate over "
                   "zip(tokens, tokens[1:]) without turning it into a set, so in 'aaa' the pair (a, a) counts twice.",
             "es": "Cuenta el par en cada posición adyacente, no una vez por pre-token: recorre "
                   "zip(tokens, tokens[1:]) sin convertirlo en un conjunto, así en 'aaa' el par (a, a) cuenta dos veces."},
        patch=[("            for pair in zip(tokens, tokens[1:]):\n                pair_counts[pair] += freqs[wid]\n",
                "            for pair in set(zip(tokens, tokens[1:])):\n                pair_counts[pair] += freqs[wid]\n"),
               ("                for pair in old_pairs:\n", "                for pair in set(old_pairs):\n"),
               ("                for pair in new_pairs:\n", "                for pair in set(new_pairs):\n")],
    ),
    Mistake(
        id="ties-to-smallest-pair",
        name={"en": "ties between equally frequent pairs broken towards the smallest pair",
              "es": "empates entre pares igual de frecuentes resueltos hacia el par más pequeño"},
        fix={"en": "On a tie, pick the lexicographically GREATEST (bytes, bytes) pair, e.g. "
                   "max(pairs, key=lambda p: (count[p], p)); min or an ascending sort picks the wrong one.",
             "es": "En un empate elige el par (bytes, bytes) lexicográficamente MAYOR, por ejemplo "
                   "max(pares, key=lambda p: (conteo[p], p)); min o un orden ascendente eligen el equivocado."},
        patch=[("        return self.pair > other.pair\n", "        return self.pair < other.pair\n")],
    ),
    Mistake(
        id="ties-to-first-seen-pair",
        name={"en": "ties broken by whichever pair was counted first",
              "es": "empates resueltos a favor del primer par contado"},
        fix={"en": "max(counts, key=counts.get) returns the first maximal pair in dictionary order, which depends on the "
                   "text. Break ties explicitly: max(counts, key=lambda p: (counts[p], p)) picks the greatest pair.",
             "es": "max(conteos, key=conteos.get) devuelve el primer par máximo según el orden del diccionario, que depende "
                   "del texto. Resuelve los empates explícitamente: max(conteos, key=lambda p: (conteos[p], p)) elige el par mayor."},
        patch=[(_HEAP_POP,
                "            best = max(pair_counts, key=pair_counts.get, default=None)\n"
                "            if best is not None and pair_counts[best] <= 0:\n"
                "                best = None\n")],
    ),
    # ------------------------------------------------------------------ merging
    Mistake(
        id="merge-overlapping",
        name={"en": "merge advances one position instead of two (overlapping merges)",
              "es": "la fusión avanza una posición en lugar de dos (fusiones solapadas)"},
        fix={"en": "After replacing tokens[i], tokens[i+1] by the merged token, skip both (i += 2): the second token is "
                   "used up. Advancing by one reuses it, so 'aaa' becomes 'aa aa a' and bytes get duplicated.",
             "es": "Después de sustituir tokens[i], tokens[i+1] por el token fusionado, sáltate los dos (i += 2): el segundo "
                   "ya se ha usado. Si avanzas solo uno lo reutilizas, 'aaa' se convierte en 'aa aa a' y se duplican bytes."},
        patch=[("            out.append(merged)\n            i += 2\n", "            out.append(merged)\n            i += 1\n")],
    ),
    Mistake(
        id="encode-merges-left-to-right",
        name={"en": "encode merges the first known pair from the left instead of the lowest-rank pair",
              "es": "encode fusiona el primer par conocido desde la izquierda en vez del de menor rango"},
        fix={"en": "At encode time the order of the merges matters: among the adjacent pairs, merge the one learned "
                   "EARLIEST (lowest rank), not the leftmost one that happens to be in the merge list; repeat until none applies.",
             "es": "Al codificar importa el orden de las fusiones: entre los pares adyacentes, fusiona el que se aprendió "
                   "ANTES (menor rango), no el primero por la izquierda que esté en la lista; repite hasta que no quede ninguno."},
        patch=[(_APPLY_MERGES_BODY,
                "    while len(tokens) > 1:\n"
                "        best_pair = None\n"
                "        for pair in zip(tokens, tokens[1:]):\n"
                "            if pair in ranks:\n"
                "                best_pair = pair\n"
                "                break\n"
                "        if best_pair is None:\n"
                "            break\n"
                "        tokens = _merge_pair(tokens, best_pair, best_pair[0] + best_pair[1])\n"
                "    return tokens\n")],
    ),
    Mistake(
        id="encode-greedy-longest-match",
        name={"en": "encode by greedy longest match in the vocabulary instead of replaying the merges",
              "es": "encode por coincidencia más larga en el vocabulario en vez de repetir las fusiones"},
        fix={"en": "BPE does not pick the longest vocabulary entry at each position (that is WordPiece-style). Start from "
                   "the bytes of each pre-token and apply the learned merges in the order they were learned.",
             "es": "BPE no elige la entrada más larga del vocabulario en cada posición (eso es estilo WordPiece). Parte de "
                   "los bytes de cada pre-token y aplica las fusiones aprendidas en el orden en que se aprendieron."},
        patch=[(_APPLY_MERGES_BODY,
                "    known = {first + second for first, second in ranks}\n"
                "    word = b\"\".join(tokens)\n"
                "    out = []\n"
                "    i = 0\n"
                "    while i < len(word):\n"
                "        for j in range(len(word), i, -1):\n"
                "            if j - i == 1 or word[i:j] in known:\n"
                "                out.append(word[i:j])\n"
                "                i = j\n"
                "                break\n"
                "    return out\n")],
    ),
    # ------------------------------------------------------------------ pre-tokenization
    Mistake(
        id="no-pretokenization",
        name={"en": "no pre-tokenization: merges cross word boundaries",
              "es": "sin pre-tokenización: las fusiones cruzan los límites entre palabras"},
        fix={"en": "Split the text with pretokenize (the course regex) before counting and before encoding, and merge "
                   "only inside each pre-token: a merge must never join the end of one word with the next.",
             "es": "Divide el texto con pretokenize (la expresión regular del curso) antes de contar y antes de codificar, y "
                   "fusiona solo dentro de cada pre-token: una fusión nunca debe unir el final de una palabra con la siguiente."},
        patch=[("            pretoken_freq.update(re.findall(PRETOKEN_PATTERN, piece))\n",
                "            pretoken_freq.update([piece] if piece else [])\n"),
               ("            for pretoken in re.findall(PRETOKEN_PATTERN, chunk):\n",
                "            for pretoken in ([chunk] if chunk else []):\n")],
    ),
    Mistake(
        id="pretokenize-without-leading-space",
        name={"en": "pre-tokenization pattern without the optional leading space",
              "es": "patrón de pre-tokenización sin el espacio inicial opcional"},
        fix={"en": "Use the course pattern exactly: r\" ?\\w+| ?[^\\s\\w]+|\\s+(?!\\S)|\\s+\". The ' ?' keeps the space "
                   "in front of a word inside its pre-token (\" eats\"), instead of leaving it as a pre-token of its own.",
             "es": "Usa exactamente el patrón del curso: r\" ?\\w+| ?[^\\s\\w]+|\\s+(?!\\S)|\\s+\". El ' ?' mantiene el espacio "
                   "delante de una palabra dentro de su pre-token (\" eats\") en vez de dejarlo como un pre-token aparte."},
        patch=[('PRETOKEN_PATTERN = r" ?\\w+| ?[^\\s\\w]+|\\s+(?!\\S)|\\s+"\n',
                'PRETOKEN_PATTERN = r"\\w+|[^\\s\\w]+|\\s+(?!\\S)|\\s+"\n')],
    ),
    # ------------------------------------------------------------------ special tokens
    Mistake(
        id="specials-not-cut-before-training",
        name={"en": "special tokens not cut out of the text before training",
              "es": "los tokens especiales no se quitan del texto antes de entrenar"},
        fix={"en": "Before counting, split the training text on the special tokens (re.split with the escaped tokens) "
                   "and pre-tokenize only the pieces between them, so no merge is learned inside or across a special token.",
             "es": "Antes de contar, divide el texto de entrenamiento por los tokens especiales (re.split con los tokens "
                   "escapados) y pre-tokeniza solo los trozos entre ellos, para no aprender fusiones dentro de un token especial ni a través de él."},
        patch=[("        pieces = re.split(pattern, text) if pattern else [text]\n", "        pieces = [text]\n")],
    ),
    Mistake(
        id="specials-not-matched-at-encode",
        name={"en": "special tokens not recognised by encode (encoded as ordinary text)",
              "es": "encode no reconoce los tokens especiales (los codifica como texto normal)"},
        fix={"en": "In encode, first split the text on the special tokens (keep them with a capturing group); each special "
                   "token becomes its single id, and only the text between them is pre-tokenized and merged.",
             "es": "En encode, divide primero el texto por los tokens especiales (consérvalos con un grupo de captura); cada "
                   "token especial se convierte en su id único y solo el texto entre ellos se pre-tokeniza y se fusiona."},
        patch=[("        chunks = self._special_re.split(text) if self._special_re else [text]\n", "        chunks = [text]\n")],
    ),
    Mistake(
        id="special-ids-before-merges",
        name={"en": "special tokens numbered before the merges",
              "es": "tokens especiales numerados antes que las fusiones"},
        fix={"en": "Ids 0..255 are the bytes, merge number m gets id 256 + m, and the special tokens come AFTER all the "
                   "merges: 256 + len(merges), 256 + len(merges) + 1, ... in the order given.",
             "es": "Los ids 0..255 son los bytes, la fusión número m recibe el id 256 + m y los tokens especiales van DESPUÉS "
                   "de todas las fusiones: 256 + len(merges), 256 + len(merges) + 1, ... en el orden dado."},
        patch=[(_VOCAB_LAYOUT,
                "        for j, s in enumerate(specials):\n"
                "            vocab[256 + j] = s.encode(\"utf-8\")\n"
                "        for m, (first, second) in enumerate(merges):\n"
                "            vocab[256 + len(specials) + m] = first + second\n")],
    ),
    Mistake(
        id="specials-shortest-first",
        name={"en": "special tokens matched shortest first",
              "es": "tokens especiales buscados del más corto al más largo"},
        fix={"en": "When one special token contains another (\"<|end|>\" and \"<|end|><|end|>\"), the longer must win: sort "
                   "the alternatives by length in DESCENDING order (sorted(..., key=len, reverse=True)) before joining them with '|'.",
             "es": "Cuando un token especial contiene a otro (\"<|end|>\" y \"<|end|><|end|>\"), debe ganar el más largo: ordena "
                   "las alternativas por longitud en orden DESCENDENTE (sorted(..., key=len, reverse=True)) antes de unirlas con '|'."},
        patch=[("sorted(specials, key=len, reverse=True)", "sorted(specials, key=len)")],
    ),
    Mistake(
        id="specials-in-given-order",
        name={"en": "special tokens matched in the order given instead of longest first",
              "es": "tokens especiales buscados en el orden dado en vez del más largo primero"},
        fix={"en": "Python's re takes the first alternative that matches, not the longest. Sort the special tokens by "
                   "length, longest first, before building the pattern, so a token that contains another wins.",
             "es": "El módulo re de Python toma la primera alternativa que coincide, no la más larga. Ordena los tokens "
                   "especiales por longitud, de mayor a menor, antes de construir el patrón, para que gane el que contiene al otro."},
        patch=[("re.escape(s) for s in sorted(specials, key=len, reverse=True)", "re.escape(s) for s in specials")],
    ),
    # ------------------------------------------------------------------ ids and vocabulary size
    Mistake(
        id="merge-ids-start-at-257",
        name={"en": "merge ids start at 257 instead of 256",
              "es": "los ids de las fusiones empiezan en 257 en vez de 256"},
        fix={"en": "Ids 0..255 are the 256 single bytes, so the first merge gets id 256 (256 + m for merge m); starting at "
                   "257 leaves id 256 unused and shifts every later id by one.",
             "es": "Los ids 0..255 son los 256 bytes, así que la primera fusión recibe el id 256 (256 + m para la fusión m); "
                   "empezar en 257 deja el id 256 sin usar y desplaza en uno todos los ids siguientes."},
        patch=[("            vocab[256 + m] = first + second\n", "            vocab[257 + m] = first + second\n"),
               ("            vocab[256 + len(merges) + j] = s.encode(\"utf-8\")\n",
                "            vocab[257 + len(merges) + j] = s.encode(\"utf-8\")\n")],
    ),
    Mistake(
        id="merge-ids-start-at-255",
        name={"en": "merge ids start at 255, overwriting the last byte",
              "es": "los ids de las fusiones empiezan en 255 y pisan el último byte"},
        fix={"en": "There are 256 byte ids (0..255), so the first free id is 256, not 255: give merge m the id 256 + m.",
             "es": "Hay 256 ids de bytes (0..255), así que el primer id libre es 256, no 255: asigna a la fusión m el id 256 + m."},
        patch=[("            vocab[256 + m] = first + second\n", "            vocab[255 + m] = first + second\n"),
               ("            vocab[256 + len(merges) + j] = s.encode(\"utf-8\")\n",
                "            vocab[255 + len(merges) + j] = s.encode(\"utf-8\")\n")],
    ),
    Mistake(
        id="one-merge-too-many",
        name={"en": "training learns one merge too many (vocabulary ends one id past vocab_size)",
              "es": "el entrenamiento aprende una fusión de más (el vocabulario se pasa en un id de vocab_size)"},
        fix={"en": "Stop as soon as 256 + len(merges) + len(special_tokens) == vocab_size: loop while "
                   "len(merges) < vocab_size - 256 - len(special_tokens) (strictly less, not <=).",
             "es": "Para en cuanto 256 + len(merges) + len(special_tokens) == vocab_size: repite mientras "
                   "len(merges) < vocab_size - 256 - len(special_tokens) (estrictamente menor, no <=)."},
        patch=[("        while len(merges) < num_merges:\n", "        while len(merges) <= num_merges:\n")],
    ),
    Mistake(
        id="vocab-size-ignores-specials",
        name={"en": "number of merges ignores the special tokens (vocabulary larger than vocab_size)",
              "es": "el número de fusiones no descuenta los tokens especiales (vocabulario mayor que vocab_size)"},
        fix={"en": "vocab_size counts the 256 bytes, the merges AND the special tokens: learn at most "
                   "vocab_size - 256 - len(special_tokens) merges.",
             "es": "vocab_size cuenta los 256 bytes, las fusiones Y los tokens especiales: aprende como mucho "
                   "vocab_size - 256 - len(special_tokens) fusiones."},
        patch=[("        num_merges = vocab_size - 256 - len(specials)\n", "        num_merges = vocab_size - 256\n")],
    ),
    Mistake(
        id="no-vocab-size-check",
        name={"en": "no ValueError for a vocab_size that cannot hold the bytes and special tokens",
              "es": "no se lanza ValueError cuando vocab_size no alcanza para los bytes y los tokens especiales"},
        fix={"en": "At the start of train, raise ValueError (naming vocab_size) when vocab_size < 256 + len(special_tokens); "
                   "silently learning no merges hides the error.",
             "es": "Al principio de train, lanza ValueError (mencionando vocab_size) cuando vocab_size < 256 + len(special_tokens); "
                   "no aprender ninguna fusión sin avisar oculta el error."},
        patch=[(_VOCAB_CHECK, "")],
    ),
    Mistake(
        id="vocab-size-check-ignores-specials",
        name={"en": "vocab_size check forgets the special tokens (only vocab_size < 256 raises)",
              "es": "la comprobación de vocab_size olvida los tokens especiales (solo falla con vocab_size < 256)"},
        fix={"en": "The smallest valid vocabulary holds the 256 bytes plus every special token: raise ValueError when "
                   "vocab_size < 256 + len(special_tokens), not only when vocab_size < 256.",
             "es": "El vocabulario válido más pequeño contiene los 256 bytes más todos los tokens especiales: lanza ValueError "
                   "cuando vocab_size < 256 + len(special_tokens), no solo cuando vocab_size < 256."},
        patch=[("        if vocab_size < 256 + len(specials):\n", "        if vocab_size < 256:\n")],
    ),
    # ------------------------------------------------------------------ decoding
    Mistake(
        id="decode-errors-strict",
        name={"en": "decode uses strict UTF-8 decoding (raises on invalid bytes)",
              "es": "decode usa decodificación UTF-8 estricta (falla con bytes no válidos)"},
        fix={"en": "A sequence of ids can end in the middle of a multi-byte character; decode with "
                   "bytes.decode(\"utf-8\", errors=\"replace\") so invalid bytes become U+FFFD instead of raising.",
             "es": "Una secuencia de ids puede acabar a mitad de un carácter multibyte; decodifica con "
                   "bytes.decode(\"utf-8\", errors=\"replace\") para que los bytes no válidos se conviertan en U+FFFD en vez de fallar."},
        patch=[('return b"".join(pieces).decode("utf-8", errors="replace")', 'return b"".join(pieces).decode("utf-8")')],
    ),
    Mistake(
        id="decode-errors-ignore",
        name={"en": "decode drops invalid bytes (errors=\"ignore\") instead of replacing them",
              "es": "decode descarta los bytes no válidos (errors=\"ignore\") en vez de reemplazarlos"},
        fix={"en": "Use errors=\"replace\": each invalid byte sequence must show up as U+FFFD, not vanish.",
             "es": "Usa errors=\"replace\": cada secuencia de bytes no válida debe aparecer como U+FFFD, no desaparecer."},
        patch=[('.decode("utf-8", errors="replace")', '.decode("utf-8", errors="ignore")')],
    ),
    Mistake(
        id="decode-token-by-token",
        name={"en": "decode decodes each token separately instead of the joined bytes",
              "es": "decode decodifica cada token por separado en vez de los bytes concatenados"},
        fix={"en": "A character can be split across tokens (an emoji is 4 bytes). Join all the tokens' bytes first "
                   "(b\"\".join(...)) and decode the whole byte string once.",
             "es": "Un carácter puede quedar repartido entre varios tokens (un emoji ocupa 4 bytes). Une primero los bytes de "
                   "todos los tokens (b\"\".join(...)) y decodifica la cadena de bytes completa una sola vez."},
        patch=[('return b"".join(pieces).decode("utf-8", errors="replace")',
                'return "".join(piece.decode("utf-8", errors="replace") for piece in pieces)')],
    ),
    Mistake(
        id="decode-unknown-id-skipped",
        name={"en": "decode silently skips unknown ids",
              "es": "decode ignora en silencio los ids desconocidos"},
        fix={"en": "An id that is not in the vocabulary (negative, or vocab_size and above) is an error: raise ValueError "
                   "naming the id instead of skipping it or using vocab.get(i, b\"\").",
             "es": "Un id que no está en el vocabulario (negativo, o vocab_size o mayor) es un error: lanza ValueError "
                   "indicando el id en vez de saltarlo o usar vocab.get(i, b\"\")."},
        patch=[('            if token is None:\n                raise ValueError(f"ids contains an unknown token id: {token_id!r}")\n',
                "            if token is None:\n                continue\n")],
    ),
]
