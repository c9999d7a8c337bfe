"""Wheat: BPE whose training keeps the pairs in buckets by count (count -> set of pairs).

The best pair is max(bucket[top count]); counts move between buckets as merges change the words.
Encoding merges, in each pre-token, the present pair with the lowest rank until none is left
(GPT-2's bpe()), on bytes tokens, with a per-pre-token cache. Special tokens are located with
re.finditer and the text between them is handled piece by piece.
"""
import re
from collections import Counter, defaultdict

PRETOKEN_PATTERN = r" ?\w+| ?[^\s\w]+|\s+(?!\S)|\s+"


def pretokenize(text):
    if not isinstance(text, str):
        raise ValueError("text must be a string")
    return re.findall(PRETOKEN_PATTERN, text)


def _specials(special_tokens):
    if special_tokens is None:
        return []
    if not isinstance(special_tokens, (list, tuple)) or not all(isinstance(s, str) and s for s in special_tokens):
        raise ValueError("special_tokens must be a list of non-empty strings")
    if len(set(special_tokens)) != len(special_tokens):
        raise ValueError("special_tokens has duplicates")
    return list(special_tokens)


def _pieces(text, specials):
    """Yields (special or None, text between specials)."""
    if not specials:
        yield None, text
        return
    pat = re.compile("|".join(re.escape(s) for s in sorted(specials, key=len, reverse=True)))
    pos = 0
    for m in pat.finditer(text):
        yield None, text[pos:m.start()]
        yield m.group(0), ""
        pos = m.end()
    yield None, text[pos:]


def _merge_word(word, a, b):
    out, i, n = [], 0, len(word)
    while i < n:
        if i < n - 1 and word[i] == a and word[i + 1] == b:
            out.append(a + b)
            i += 2
        else:
            out.append(word[i])
            i += 1
    return out


class _Buckets:
    def __init__(self):
        self.count = defaultdict(int)
        self.bucket = defaultdict(set)

    def add(self, pair, delta):
        old = self.count[pair]
        new = old + delta
        if old > 0:
            self.bucket[old].discard(pair)
            if not self.bucket[old]:
                del self.bucket[old]
        if new > 0:
            self.bucket[new].add(pair)
            self.count[pair] = new
        else:
            del self.count[pair]

    def best(self):
        if not self.bucket:
            return None
        return max(self.bucket[max(self.bucket)])


class BPETokenizer:
    def __init__(self, vocab, merges, special_tokens=None):
        if not isinstance(vocab, dict):
            raise ValueError("vocab must be a dict")
        if not all(isinstance(k, int) and not isinstance(k, bool) and k >= 0 and isinstance(v, bytes) for k, v in vocab.items()):
            raise ValueError("vocab must map int ids >= 0 to bytes")
        if not isinstance(merges, (list, tuple)) or not all(
            isinstance(m, (list, tuple)) and len(m) == 2 and all(isinstance(x, bytes) for x in m) for m in merges
        ):
            raise ValueError("merges must be a list of (bytes, bytes) pairs")
        self.vocab = {int(k): v for k, v in vocab.items()}
        self.merges = [(m[0], m[1]) for m in merges]
        self.special_tokens = _specials(special_tokens)
        self._special = {}
        for s in self.special_tokens:
            raw = s.encode("utf-8")
            same = [i for i in self.vocab if self.vocab[i] == raw]
            if same:
                self._special[s] = max(same)
            else:
                new_id = max(self.vocab) + 1 if self.vocab else 0
                self.vocab[new_id] = raw
                self._special[s] = new_id
        skip = set(self._special.values())
        self._ids = {}
        for i, t in sorted(self.vocab.items()):
            if i not in skip:
                self._ids.setdefault(t, i)
        self._rank = {}
        for r, p in enumerate(self.merges):
            self._rank.setdefault(p, []).append(r)
        self._cache = {}

    @classmethod
    def train(cls, text, vocab_size, special_tokens=None):
        if not isinstance(text, str):
            raise ValueError("text must be a string")
        specials = _specials(special_tokens)
        if not isinstance(vocab_size, int) or isinstance(vocab_size, bool):
            raise ValueError("vocab_size must be an int")
        if vocab_size < 256 + len(specials):
            raise ValueError("vocab_size must be >= 256 + len(special_tokens)")
        freq = Counter()
        for special, piece in _pieces(text, specials):
            if special is None and piece:
                freq.update(pretokenize(piece))
        words = [[bytes([c]) for c in w.encode("utf-8")] for w in freq]
        weight = list(freq.values())
        counts = _Buckets()
        holders = defaultdict(set)
        for k, w in enumerate(words):
            for p in zip(w, w[1:]):
                counts.add(p, weight[k])
                holders[p].add(k)
        merges = []
        while len(merges) < vocab_size - 256 - len(specials):
            pair = counts.best()
            if pair is None:
                break
            merges.append(pair)
            for k in sorted(holders.pop(pair)):
                old = words[k]
                new = _merge_word(old, *pair)
                if len(new) == len(old):
                    continue
                for p in zip(old, old[1:]):
                    counts.add(p, -weight[k])
                for p in zip(new, new[1:]):
                    counts.add(p, weight[k])
                    holders[p].add(k)
                words[k] = new
        vocab = {i: bytes([i]) for i in range(256)}
        vocab.update({256 + m: a + b for m, (a, b) in enumerate(merges)})
        base = 256 + len(merges)
        vocab.update({base + j: s.encode("utf-8") for j, s in enumerate(specials)})
        return cls(vocab, merges, specials)

    def _bpe(self, word):
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        toks = [bytes([c]) for c in word.encode("utf-8")]
        done = -1  # merges up to this rank have been replayed
        while len(toks) > 1:
            cands = []
            for p in set(zip(toks, toks[1:])):
                later = [r for r in self._rank.get(p, ()) if r > done]
                if later:
                    cands.append((later[0], p))
            if not cands:
                break
            r, p = min(cands)
            toks = _merge_word(toks, *p)
            done = r
        try:
            ids = [self._ids[t] for t in toks]
        except KeyError as e:
            raise ValueError(f"the token {e.args[0]!r} is not in the vocab") from None
        self._cache[word] = ids
        return ids

    def encode(self, text):
        if not isinstance(text, str):
            raise ValueError("text must be a string")
        out = []
        for special, piece in _pieces(text, self.special_tokens):
            if special is not None:
                out.append(self._special[special])
            else:
                for w in pretokenize(piece):
                    out += self._bpe(w)
        return out

    def decode(self, ids):
        if hasattr(ids, "tolist"):
            ids = ids.tolist()
        chunks = []
        for i in ids:
            if not isinstance(i, int) or isinstance(i, bool) or i not in self.vocab:
                raise ValueError(f"ids: unknown token id {i!r}")
            chunks.append(self.vocab[i])
        return b"".join(chunks).decode("utf-8", errors="replace")
