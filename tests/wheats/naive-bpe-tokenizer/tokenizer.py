"""Wheat: the most literal BPE there is.

Training recounts every pair from scratch before each merge (no incremental bookkeeping, no heap)
and picks max((count, pair)). Encoding replays every learned merge, one after another, on each
pre-token. Special tokens are found by a hand-written scan (longest match at each position), not
by a regex alternation.
"""
import re
from collections import Counter

PRETOKEN_PATTERN = r" ?\w+| ?[^\s\w]+|\s+(?!\S)|\s+"


def pretokenize(text: str) -> list[str]:
    if not isinstance(text, str):
        raise ValueError("text must be a str")
    return re.findall(PRETOKEN_PATTERN, text)


def _specials_list(special_tokens):
    if special_tokens is None:
        return []
    if isinstance(special_tokens, str) or not isinstance(special_tokens, (list, tuple)):
        raise ValueError("special_tokens must be a list of str or None")
    out = []
    for s in special_tokens:
        if not isinstance(s, str) or not s:
            raise ValueError("special_tokens must hold non-empty strings")
        if s in out:
            raise ValueError("special_tokens must not repeat a token")
        out.append(s)
    return out


def _split_specials(text, specials):
    """[(is_special, piece), ...]: at each position the longest special token that starts there wins."""
    if not specials:
        return [(False, text)] if text else []
    by_len = sorted(specials, key=len, reverse=True)
    out, buf, i = [], [], 0
    while i < len(text):
        hit = None
        for s in by_len:
            if text.startswith(s, i):
                hit = s
                break
        if hit is None:
            buf.append(text[i])
            i += 1
        else:
            if buf:
                out.append((False, "".join(buf)))
                buf = []
            out.append((True, hit))
            i += len(hit)
    if buf:
        out.append((False, "".join(buf)))
    return out


def _merge(word, pair):
    out, i = [], 0
    while i < len(word):
        if i + 1 < len(word) and word[i] == pair[0] and word[i + 1] == pair[1]:
            out.append(pair[0] + pair[1])
            i += 2
        else:
            out.append(word[i])
            i += 1
    return out


class BPETokenizer:
    def __init__(self, vocab, merges, special_tokens=None):
        if not isinstance(vocab, dict):
            raise ValueError("vocab must be a dict[int, bytes]")
        for k, v in vocab.items():
            if isinstance(k, bool) or not isinstance(k, int) or k < 0 or not isinstance(v, bytes):
                raise ValueError("vocab must map non-negative int ids to bytes")
        if not isinstance(merges, (list, tuple)):
            raise ValueError("merges must be a list of (bytes, bytes)")
        for m in merges:
            if not (isinstance(m, (list, tuple)) and len(m) == 2 and all(isinstance(t, bytes) for t in m)):
                raise ValueError("merges must hold (bytes, bytes) pairs")
        self.vocab = dict(vocab)
        self.merges = [tuple(m) for m in merges]
        self.special_tokens = _specials_list(special_tokens)
        self.special_ids = {}
        for s in self.special_tokens:
            b = s.encode("utf-8")
            found = [i for i in sorted(self.vocab) if self.vocab[i] == b]
            if found:
                self.special_ids[s] = found[-1]
            else:
                nid = (max(self.vocab) + 1) if self.vocab else 0
                self.vocab[nid] = b
                self.special_ids[s] = nid
        taken = set(self.special_ids.values())
        self.bytes_to_id = {}
        for i in sorted(self.vocab):
            if i not in taken and self.vocab[i] not in self.bytes_to_id:
                self.bytes_to_id[self.vocab[i]] = i

    @classmethod
    def train(cls, text, vocab_size, special_tokens=None):
        if not isinstance(text, str):
            raise ValueError("text must be a str")
        specials = _specials_list(special_tokens)
        if isinstance(vocab_size, bool) or not isinstance(vocab_size, int):
            raise ValueError("vocab_size must be an int")
        if vocab_size < 256 + len(specials):
            raise ValueError(f"vocab_size must be at least 256 + len(special_tokens), got {vocab_size}")
        freq = Counter()
        for is_special, piece in _split_specials(text, specials):
            if not is_special:
                freq.update(pretokenize(piece))
        words = {tuple(bytes([b]) for b in w.encode("utf-8")): n for w, n in freq.items()}
        merges = []
        while 256 + len(merges) + len(specials) < vocab_size:
            counts = Counter()
            for word, n in words.items():
                for i in range(len(word) - 1):
                    counts[(word[i], word[i + 1])] += n
            if not counts:
                break
            best = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
            merges.append(best)
            new_words = Counter()
            for word, n in words.items():
                new_words[tuple(_merge(list(word), best))] += n
            words = new_words
        vocab = {i: bytes([i]) for i in range(256)}
        for m, (a, b) in enumerate(merges):
            vocab[256 + m] = a + b
        for j, s in enumerate(specials):
            vocab[256 + len(merges) + j] = s.encode("utf-8")
        return cls(vocab, merges, specials)

    def _encode_word(self, word):
        tokens = [bytes([b]) for b in word.encode("utf-8")]
        for pair in self.merges:
            if len(tokens) < 2:
                break
            tokens = _merge(tokens, pair)
        try:
            return [self.bytes_to_id[t] for t in tokens]
        except KeyError:
            raise ValueError("text needs a token that is not in the vocab") from None

    def encode(self, text):
        if not isinstance(text, str):
            raise ValueError("text must be a str")
        ids = []
        for is_special, piece in _split_specials(text, self.special_tokens):
            if is_special:
                ids.append(self.special_ids[piece])
            else:
                for word in pretokenize(piece):
                    ids.extend(self._encode_word(word))
        return ids

    def decode(self, ids):
        if hasattr(ids, "tolist"):
            ids = ids.tolist()
        out = bytearray()
        for i in ids:
            if isinstance(i, bool) or not isinstance(i, int) or i not in self.vocab:
                raise ValueError(f"unknown token id in ids: {i!r}")
            out += self.vocab[i]
        return out.decode("utf-8", errors="replace")
