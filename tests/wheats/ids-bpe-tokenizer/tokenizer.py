"""Wheat: BPE on integer ids (CS336 style).

Pre-tokens are tuples of ids; training keeps incremental pair counts and an index pair -> words,
and each step takes max over the counts with the key (count, bytes of left, bytes of right).
Encoding works on ids too: it repeatedly merges the adjacent pair whose merge was learned
earliest (GPT-2 style "lowest rank first").
"""
import re
from collections import defaultdict

PAT = re.compile(r" ?\w+| ?[^\s\w]+|\s+(?!\S)|\s+")


def pretokenize(text: str) -> list[str]:
    if not isinstance(text, str):
        raise ValueError(f"text must be str, not {type(text).__name__}")
    return PAT.findall(text)


def _check_specials(special_tokens):
    if special_tokens is None:
        return []
    if not isinstance(special_tokens, (list, tuple)):
        raise ValueError("special_tokens must be a list of strings")
    specials = list(special_tokens)
    if any(not isinstance(s, str) or s == "" for s in specials) or len(set(specials)) != len(specials):
        raise ValueError("special_tokens must be distinct non-empty strings")
    return specials


def _special_splitter(specials):
    if not specials:
        return None
    alts = sorted(specials, key=lambda s: -len(s))
    return re.compile("(" + "|".join(map(re.escape, alts)) + ")")


class BPETokenizer:
    def __init__(self, vocab, merges, special_tokens=None):
        if not isinstance(vocab, dict) or not all(
            type(k) is int and k >= 0 and isinstance(v, bytes) for k, v in vocab.items()
        ):
            raise ValueError("vocab must be a dict from int ids to bytes")
        if not isinstance(merges, (list, tuple)) or not all(
            isinstance(m, (tuple, list)) and len(m) == 2 and isinstance(m[0], bytes) and isinstance(m[1], bytes)
            for m in merges
        ):
            raise ValueError("merges must be a list of (bytes, bytes)")
        self.special_tokens = _check_specials(special_tokens)
        self.vocab = dict(vocab)
        self.merges = [(a, b) for a, b in merges]
        self.special_id = {}
        for s in self.special_tokens:
            enc = s.encode("utf-8")
            hits = [i for i, t in self.vocab.items() if t == enc]
            if not hits:
                hits = [max(self.vocab, default=-1) + 1]
                self.vocab[hits[0]] = enc
            self.special_id[s] = max(hits)
        specials = set(self.special_id.values())
        self.token_id = {}
        for i in sorted(self.vocab, reverse=True):  # lowest id wins: it is written last
            if i not in specials:
                self.token_id[self.vocab[i]] = i
        # (left id, right id) -> (rank, merged id); the first rank of a pair counts.
        self.merge_table = {}
        for rank, (a, b) in enumerate(self.merges):
            ia, ib, iab = self.token_id.get(a), self.token_id.get(b), self.token_id.get(a + b)
            if ia is None or ib is None or iab is None:
                continue
            self.merge_table.setdefault((ia, ib), (rank, iab))
        self.splitter = _special_splitter(self.special_tokens)

    @classmethod
    def train(cls, text, vocab_size, special_tokens=None):
        if not isinstance(text, str):
            raise ValueError("text must be str")
        specials = _check_specials(special_tokens)
        if type(vocab_size) is not int:
            raise ValueError("vocab_size must be an int")
        if vocab_size < 256 + len(specials):
            raise ValueError(f"vocab_size ({vocab_size}) is smaller than 256 + len(special_tokens)")
        splitter = _special_splitter(specials)
        pieces = splitter.split(text)[::2] if splitter else [text]
        freq = defaultdict(int)
        for piece in pieces:
            for w in PAT.findall(piece):
                freq[tuple(w.encode("utf-8"))] += 1
        words = [list(w) for w in freq]
        counts = list(freq.values())

        vocab = {i: bytes([i]) for i in range(256)}
        pairs = defaultdict(int)
        where = defaultdict(set)
        for wi, w in enumerate(words):
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] += counts[wi]
                where[(a, b)].add(wi)

        merges = []
        next_id = 256
        while next_id < vocab_size - len(specials):
            live = [(p, c) for p, c in pairs.items() if c > 0]
            if not live:
                break
            (a, b), _ = max(live, key=lambda pc: (pc[1], vocab[pc[0][0]], vocab[pc[0][1]]))
            new = next_id
            next_id += 1
            vocab[new] = vocab[a] + vocab[b]
            merges.append((vocab[a], vocab[b]))
            for wi in list(where[(a, b)]):
                w, n = words[wi], counts[wi]
                for p in zip(w, w[1:]):
                    pairs[p] -= n
                out, i = [], 0
                while i < len(w):
                    if i + 1 < len(w) and w[i] == a and w[i + 1] == b:
                        out.append(new)
                        i += 2
                    else:
                        out.append(w[i])
                        i += 1
                words[wi] = out
                for p in zip(out, out[1:]):
                    pairs[p] += n
                    where[p].add(wi)
            del pairs[(a, b)]
            del where[(a, b)]
        for j, s in enumerate(specials):
            vocab[next_id + j] = s.encode("utf-8")
        return cls(vocab, merges, specials)

    def _word_ids(self, word):
        try:
            ids = [self.token_id[bytes([b])] for b in word.encode("utf-8")]
        except KeyError:
            raise ValueError("text holds a byte that is not in the vocab") from None
        while len(ids) > 1:
            best = None
            for k in range(len(ids) - 1):
                hit = self.merge_table.get((ids[k], ids[k + 1]))
                if hit is not None and (best is None or hit[0] < best[0]):
                    best = hit + ((ids[k], ids[k + 1]),)
            if best is None:
                break
            _, merged, (a, b) = best
            out, k = [], 0
            while k < len(ids):
                if k + 1 < len(ids) and ids[k] == a and ids[k + 1] == b:
                    out.append(merged)
                    k += 2
                else:
                    out.append(ids[k])
                    k += 1
            ids = out
        return ids

    def encode(self, text):
        if not isinstance(text, str):
            raise ValueError("text must be str")
        parts = self.splitter.split(text) if self.splitter else [text]
        ids = []
        for k, part in enumerate(parts):
            if k % 2:
                ids.append(self.special_id[part])
            else:
                for w in PAT.findall(part):
                    ids += self._word_ids(w)
        return ids

    def decode(self, ids):
        ids = list(ids.tolist() if hasattr(ids, "tolist") else ids)
        bad = [i for i in ids if type(i) is not int or i not in self.vocab]
        if bad:
            raise ValueError(f"ids holds an unknown token id: {bad[0]!r}")
        return b"".join(self.vocab[i] for i in ids).decode("utf-8", "replace")
