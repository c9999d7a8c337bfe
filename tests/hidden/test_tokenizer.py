"""Hidden checks for tokenizer.py: pre-tokenization and byte-level BPE (training, encoding, decoding)."""

from autograder.checks import equal, fail, raises_value_error
from autograder.student import Handle, StudentRaised

SPECIAL_POOL = ["<|endoftext|>", "<|pad|>", "[SEP]", "<s>", "</s>", "<|im_start|>", "<mask>"]
LETTERS = "abcdefghijklmnopqrstuvwxyz"


# ------------------------------------------------------------------ helpers
def _encode(tok, text):
    """tok.encode(text) for a sandbox handle or a reference tokenizer.

    ``Handle.encode`` is the wire-serialisation method of ``wire.Spec`` and shadows the remote
    method of the same name, so the remote ``encode`` is reached through ``Handle.__getattr__``.
    """
    if isinstance(tok, Handle):
        return Handle.__getattr__(tok, "encode")(text)
    return tok.encode(text)


def _train(student, ref, text, vocab_size, specials=None):
    """The student's trained tokenizer (a handle) and the reference's, on the same text."""
    kw = {} if specials is None else {"special_tokens": list(specials)}
    return (student.tokenizer.BPETokenizer.train(text, vocab_size, **kw),
            ref.tokenizer.BPETokenizer.train(text, vocab_size, **kw))


def _letters(draw, n):
    return [LETTERS[i] for i in draw.distinct(n, 0, len(LETTERS) - 1)]


def _specials(draw, n):
    return [SPECIAL_POOL[i] for i in draw.distinct(n, 0, len(SPECIAL_POOL) - 1)]


def _english(draw, words):
    return draw.english(words) + "\n" + draw.english(max(4, words // 6)) + "."


def _learned(tok, lo, hi, who="your tokenizer"):
    """The strings of ids lo..hi-1, read with one decode call (NUL separates the tokens)."""
    ids = []
    for i in range(lo, hi):
        ids += [i, 0]
    try:
        out = tok.decode(ids)
    except StudentRaised as e:
        if e.phase != "call":
            raise
        fail(f"{who} cannot decode the ids of its learned merges (ids 256 up to vocab_size - 1): "
             f"{e.type_name}: {e.message[:160]}", "mismatch")
    if type(out) is not str:
        fail("decode should return a str", "type")
    return out.split("\x00")[:-1]


def _same_merges(stok, rtok, vocab_size, what="the learned merges"):
    """The student's learned tokens (ids 256..vocab_size-1) are the reference's, in order."""
    expected = _learned(rtok, 256, 256 + min(vocab_size - 256, len(rtok.merges)))
    got = _learned(stok, 256, 256 + len(expected))
    for m, (g, e) in enumerate(zip(got, expected)):
        if g != e:
            fail(f"{what} differ from the expected ones from merge number {m} (id {256 + m}) on", "mismatch", first_index=[m])


def _tie_words(draw, letters, n_words):
    words = set()
    while len(words) < n_words:
        words.add("".join(draw.choice(letters) for _ in range(draw.int(2, 5))))
    words = sorted(words)
    draw.rng.shuffle(words)
    return words


# ------------------------------------------------------------------ pre-tokenization
def test_pretokenize(student, ref, draw):
    """pretokenize splits any text (Unicode, punctuation, whitespace runs) with the course pattern"""
    texts = [draw.unicode_text(draw.int(30, 120)) for _ in range(3)] + [_english(draw, 25), "  " + draw.english(5) + "   \n\n "]
    for t in texts:
        equal(student.tokenizer.pretokenize(t), ref.tokenizer.pretokenize(t), what="pretokenize(text)")


# ------------------------------------------------------------------ training and encoding
def test_train_and_encode_english(student, ref, draw):
    """A tokenizer trained on English text encodes new text like the reference"""
    text = _english(draw, draw.int(300, 600))
    V = 256 + draw.int(25, 90)
    stok, rtok = _train(student, ref, text, V)
    for s in (_english(draw, 40), draw.english(8) + " " + draw.unicode_text(40), text[: draw.int(50, 200)]):
        equal(_encode(stok, s), _encode(rtok, s), what="encode(text)")


def test_learned_merges(student, ref, draw):
    """Training learns the right merges in the right order (ids 256, 257, ...)"""
    text = _english(draw, draw.int(300, 600))
    V = 256 + draw.int(30, 120)
    stok, rtok = _train(student, ref, text, V)
    _same_merges(stok, rtok, V)


def test_every_id_decodes(student, ref, draw):
    """The trained vocabulary has exactly vocab_size ids: bytes, then merges, then special tokens"""
    specials = _specials(draw, draw.int(1, 2))
    text = _english(draw, 400)
    V = 256 + draw.int(20, 60) + len(specials)
    stok, rtok = _train(student, ref, text, V, specials)
    equal(stok.decode(list(range(V))), rtok.decode(list(range(V))), what="decode of every id below vocab_size")
    try:  # any error will do here; that it is a ValueError is checked on its own
        stok.decode([V])
    except StudentRaised as e:
        if e.phase != "call":
            raise
    else:
        fail("decode accepts the id vocab_size: the trained vocabulary has more than vocab_size ids", "mismatch")


def test_roundtrip(student, ref, draw):
    """decode(encode(s)) gives back s for any text (emoji, accents, whitespace runs, special tokens)"""
    specials = _specials(draw, 2)
    text = _english(draw, 200) + draw.unicode_text(300)
    stok, _ = _train(student, ref, text, 256 + draw.int(30, 80), specials)
    samples = [draw.unicode_text(draw.int(20, 150)) for _ in range(4)]
    samples.append(specials[0] + draw.unicode_text(30) + specials[1] + specials[0] + "  \n\t " + draw.english(6))
    for s in samples:
        ids = _encode(stok, s)
        equal(stok.decode(ids), s, what="decode(encode(s))")


def test_empty_string(student, ref, draw):
    """Encoding the empty string gives [] and decoding [] gives the empty string"""
    stok, _ = _train(student, ref, _english(draw, 60), 256 + draw.int(5, 20), _specials(draw, 1))
    equal(_encode(stok, ""), [], what='encode("")')
    equal(stok.decode([]), "", what="decode([])")


def test_repeated_characters(student, ref, draw):
    """Runs of one character: pairs counted at every position, merged left to right without overlap"""
    a, b, c = _letters(draw, 3)
    lines = [a * 3, a * 3, b + c, b + c, b + c]  # (a, a) counts 4 (twice in each "aaa"), (b, c) counts 3
    draw.rng.shuffle(lines)
    stok, rtok = _train(student, ref, "\n".join(lines), 256 + 3)
    _same_merges(stok, rtok, 256 + 3, what="the merges learned from runs of one character")
    lines = [a * draw.int(2, 9) for _ in range(draw.int(3, 6))] + [b + a * draw.int(3, 7)]
    V = 256 + 5
    stok, rtok = _train(student, ref, "\n".join(lines), V)
    _same_merges(stok, rtok, V, what="the merges learned from runs of one character")
    probe = "\n".join([a * k for k in range(1, 14)] + [a * 3 + b + c + a * 5, b + c + c + a * 7])
    equal(_encode(stok, probe), _encode(rtok, probe), what="encode of runs of one character")


def test_counts_weighted_by_frequency(student, ref, draw):
    """Pair counts are weighted by how often each pre-token occurs in the text"""
    x, y, z, w = _letters(draw, 4)
    n = draw.int(3, 5)
    lines = [x + y] * n + [(z + w) * (n - 1)]  # (x, y): n occurrences of one pre-token; (z, w): n - 1 in one pre-token
    draw.rng.shuffle(lines)
    text = "\n".join(lines)
    V = 256 + 3
    stok, rtok = _train(student, ref, text, V)
    _same_merges(stok, rtok, V)
    probe = x + y + z + w + "\n" + z + w + z + w + x + y
    equal(_encode(stok, probe), _encode(rtok, probe), what="encode(text)")


def test_ties_greatest_pair(student, ref, draw):
    """Ties between equally frequent pairs go to the lexicographically greatest pair"""
    x, p, q = _letters(draw, 3)
    text = "\n".join([x + p, x + q] if draw.int(0, 1) else [x + q, x + p])  # (x, p) and (x, q) tie
    stok, rtok = _train(student, ref, text, 257)
    _same_merges(stok, rtok, 257, what="the merge chosen among tied pairs")
    letters = _letters(draw, 5)
    text = "\n".join(_tie_words(draw, letters, draw.int(8, 14)))
    V = 256 + draw.int(6, 10)
    stok, rtok = _train(student, ref, text, V)
    _same_merges(stok, rtok, V, what="the merges chosen among tied pairs")


def test_encode_applies_merges_by_rank(student, ref, draw):
    """encode applies the merges in the order they were learned, not left to right"""
    a, b, c, d = _letters(draw, 4)
    lines = [b + c] * 4 + [a + b] * 3 + [c + d] * 2  # learned: (b, c), then (a, b), then (c, d)
    draw.rng.shuffle(lines)
    stok, rtok = _train(student, ref, "\n".join(lines), 256 + 3)
    for s in (a + b + c, a + b + c + d, b + c + d + a + b + c, a + b + a + b + c + d):
        equal(_encode(stok, s), _encode(rtok, s), what="encode(text)")


def test_constructed_tokenizer(student, ref, draw):
    """A tokenizer built directly from a vocab and merges encodes and decodes like the reference"""
    specials = _specials(draw, 2)
    base = ref.tokenizer.BPETokenizer.train(_english(draw, 250), 256 + draw.int(20, 50), special_tokens=specials)
    vocab, merges = dict(base.vocab), list(base.merges)
    stok = student.tokenizer.BPETokenizer(vocab, merges, specials)
    rtok = ref.tokenizer.BPETokenizer(vocab, merges, specials)
    s = _english(draw, 30) + specials[1] + draw.english(5) + specials[0]
    equal(_encode(stok, s), _encode(rtok, s), what="encode(text)")
    equal(stok.decode(_encode(rtok, s)), s, what="decode(ids)")
    # Hand-made merges where the order of the merges matters: (y, z), then (x, y), then (x, yz).
    x, y, z = _letters(draw, 3)
    X, Y, Z = x.encode(), y.encode(), z.encode()
    vocab = {i: bytes([i]) for i in range(256)}
    vocab.update({256: Y + Z, 257: X + Y, 258: X + Y + Z, 259: specials[0].encode()})
    merges = [(Y, Z), (X, Y), (X, Y + Z)]
    stok = student.tokenizer.BPETokenizer(vocab, merges, specials[:1])
    rtok = ref.tokenizer.BPETokenizer(vocab, merges, specials[:1])
    s = x + y + z + " " + x + y + x + y + z + specials[0] + y + z + x + y
    equal(_encode(stok, s), _encode(rtok, s), what="encode(text) with hand-made merges")


# ------------------------------------------------------------------ special tokens
def test_special_token_ids(student, ref, draw):
    """Each special token encodes to its own single id, after the merges, in the order given"""
    specials = _specials(draw, 3)
    text = _english(draw, 300)
    stok, rtok = _train(student, ref, text, 256 + draw.int(20, 60) + 3, specials)
    for s in specials:
        equal(_encode(stok, s), _encode(rtok, s), what="encode of a special token")


def test_special_tokens_in_text(student, ref, draw):
    """Special tokens next to text and next to each other are kept whole"""
    s1, s2 = _specials(draw, 2)
    stok, rtok = _train(student, ref, _english(draw, 250), 256 + draw.int(20, 60) + 2, [s1, s2])
    w = draw.english(3)
    for t in (s1 + s2 + w + s1, w + s2 + s2 + " " + w + s1 + "\n" + s2, s2 + w.replace(" ", s1, 1) + s2[:-1]):
        equal(_encode(stok, t), _encode(rtok, t), what="encode of text with special tokens")


def test_longest_special_first(student, ref, draw):
    """When one special token contains another, the longer one wins"""
    short = "<|" + draw.choice(["end", "eos", "stop", "sep"]) + "|>"
    long = short + draw.choice(["\n", short, "!"])
    specials = [short, long] if draw.int(0, 1) else [long, short]
    stok, rtok = _train(student, ref, _english(draw, 200), 256 + draw.int(10, 40) + 2, specials)
    t = draw.english(4) + long + short + draw.english(2) + long + long
    equal(_encode(stok, t), _encode(rtok, t), what="encode of text with nested special tokens")


def test_specials_never_merged(student, ref, draw):
    """Training never merges inside or across special tokens"""
    specials = _specials(draw, 2)
    parts = []
    for _ in range(draw.int(60, 90)):
        parts.append(draw.english(draw.int(1, 4)))
        parts.append(draw.choice(specials) + draw.choice(["", "", " ", "\n"]))
    text = "".join(parts)
    V = 256 + draw.int(30, 60) + 2
    stok, rtok = _train(student, ref, text, V, specials)
    _same_merges(stok, rtok, V - 2, what="the merges learned from text with special tokens")
    probe = draw.english(6) + specials[0] + draw.english(3) + specials[1] + specials[0]
    equal(_encode(stok, probe), _encode(rtok, probe), what="encode of text with special tokens")


# ------------------------------------------------------------------ small vocabularies and errors
def test_small_vocabularies(student, ref, draw):
    """No merges at vocab_size = 256 + number of special tokens; training stops when no pair is left"""
    specials = _specials(draw, 2)
    text = draw.english(20)
    stok, rtok = _train(student, ref, text, 256 + 2, specials)
    probe = draw.english(5) + specials[1] + specials[0]
    equal(_encode(stok, probe), _encode(rtok, probe), what="encode with no merges")
    a, b = _letters(draw, 2)
    text = (a + b + " ") * draw.int(2, 5) + a + b
    stok, rtok = _train(student, ref, text, 256 + draw.int(40, 80), specials)  # only a few merges exist
    probe = text + specials[0] + a + specials[1]
    equal(_encode(stok, probe), _encode(rtok, probe), what="encode after training that ran out of pairs")


def test_vocab_size_too_small_raises(student, draw):
    """vocab_size smaller than 256 + the number of special tokens raises ValueError"""
    specials = _specials(draw, draw.int(1, 3))
    raises_value_error(student.tokenizer.BPETokenizer.train, draw.english(30), 256 + len(specials) - draw.int(1, len(specials)),
                       special_tokens=specials, names=("vocab_size", "vocab size", "vocabulary size"),
                       what="train with vocab_size below 256 + len(special_tokens)")
    raises_value_error(student.tokenizer.BPETokenizer.train, draw.english(30), draw.int(100, 255),
                       names=("vocab_size", "vocab size", "vocabulary size"), what="train with vocab_size below 256")


def test_decode_unknown_id_raises(student, ref, draw):
    """Decoding an unknown id (negative, or vocab_size and above) raises ValueError"""
    specials = _specials(draw, 1)
    V = 256 + draw.int(10, 40) + 1
    stok, _ = _train(student, ref, _english(draw, 200), V, specials)
    ok = [draw.int(97, 122) for _ in range(3)]
    raises_value_error(stok.decode, ok + [V + draw.int(0, 50)], names=("ids", " id", "token"), what="decode of an id above the vocabulary")
    raises_value_error(stok.decode, [-draw.int(1, 3)] + ok, names=("ids", " id", "token"), what="decode of a negative id")
