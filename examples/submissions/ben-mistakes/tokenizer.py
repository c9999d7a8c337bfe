"""A byte-level BPE tokenizer: pre-tokenization, training, encoding, decoding.

Every string is UTF-8 bytes, so ids 0..255 (one per byte) can spell any text;
training adds one id per learned merge (256, 257, ...), then the special tokens.
"""
import heapq
import numbers
import re
from collections import Counter, defaultdict

PRETOKEN_PATTERN = r" ?\w+| ?[^\s\w]+|\s+(?!\S)|\s+"

_BYTES = [bytes([b]) for b in range(256)]


def _check_special_tokens(special_tokens):
    """Return special_tokens as a new list, or raise ValueError."""
    if special_tokens is None:
        return []
    if isinstance(special_tokens, str) or not isinstance(special_tokens, (list, tuple)):
        raise ValueError("special_tokens must be a list of str or None")
    specials = list(special_tokens)
    for s in specials:
        if not isinstance(s, str) or s == "":
            raise ValueError(f"special_tokens must hold non-empty strings, got {s!r}")
    if len(set(specials)) != len(specials):
        raise ValueError("special_tokens must not repeat a token")
    return specials


def _special_pattern(specials):
    """Regex alternation of the escaped special tokens, longest first (None if there are none)."""
    if not specials:
        return None
    return "|".join(re.escape(s) for s in sorted(specials, key=len, reverse=True))


def _merge_pair(tokens, pair, merged):
    """Replace each occurrence of pair in tokens by merged, left to right, without overlap."""
    first, second = pair
    out = []
    i = 0
    n = len(tokens)
    while i < n:
        if i + 1 < n and tokens[i] == first and tokens[i + 1] == second:
            out.append(merged)
            i += 2
        else:
            out.append(tokens[i])
            i += 1
    return out


def _apply_merges(tokens, ranks):
    """Apply the merges to one pre-token exactly as if run in the order they were learned.

    ranks maps a pair to the sorted list of ranks at which it was learned. Merges
    before `start` have been applied already; the next merge that changes anything is
    the present pair with the smallest rank >= start.
    """
    start = 0
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


class _Greatest:
    """Heap key that inverts the order of pairs, so heapq pops the greatest pair first on a tie."""

    __slots__ = ("pair",)

    def __init__(self, pair):
        self.pair = pair

    def __lt__(self, other):
        return self.pair > other.pair


def pretokenize(text: str) -> list[str]:
    """Split text into pre-tokens with PRETOKEN_PATTERN; merges never cross them.

    pretokenize("Diego eats pizza") == ["Diego", " eats", " pizza"]
    pretokenize("Hi!  ok") == ["Hi", "!", " ", " ok"]
    Joining the pre-tokens gives back the text.
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got {type(text).__name__}")
    return re.findall(PRETOKEN_PATTERN, text)


class BPETokenizer:
    """Byte-level BPE tokenizer.

    vocab: id -> bytes; merges: learned (bytes, bytes) pairs in learning order;
    special_tokens: strings that always map to their own id and are never merged.
    """

    def __init__(
        self,
        vocab: dict[int, bytes],
        merges: list[tuple[bytes, bytes]],
        special_tokens: list[str] | None = None,
    ):
        """Keep vocab, merges and special_tokens (copies) and build the lookup tables.

        A special token missing from vocab gets the next free id.
        """
        if not isinstance(vocab, dict):
            raise ValueError(f"vocab must be a dict[int, bytes], got {type(vocab).__name__}")
        for token_id, token in vocab.items():
            if isinstance(token_id, bool) or not isinstance(token_id, numbers.Integral) or token_id < 0:
                raise ValueError(f"vocab keys must be non-negative ints, got {token_id!r}")
            if not isinstance(token, bytes):
                raise ValueError(f"vocab values must be bytes, got {token!r} for id {token_id}")
        if not isinstance(merges, (list, tuple)):
            raise ValueError(f"merges must be a list of (bytes, bytes), got {type(merges).__name__}")
        for merge in merges:
            if not (isinstance(merge, (tuple, list)) and len(merge) == 2 and all(isinstance(t, bytes) for t in merge)):
                raise ValueError(f"merges must hold (bytes, bytes) pairs, got {merge!r}")
        specials = _check_special_tokens(special_tokens)

        self.vocab = {int(i): t for i, t in vocab.items()}
        self.merges = [(m[0], m[1]) for m in merges]
        self.special_tokens = specials

        # Special tokens: the highest id holding their bytes (they come last), else a new id.
        self._special_ids = {}
        for s in specials:
            encoded = s.encode("utf-8")
            ids = [i for i, t in self.vocab.items() if t == encoded]
            if ids:
                self._special_ids[s] = max(ids)
            else:
                new_id = max(self.vocab, default=-1) + 1
                self.vocab[new_id] = encoded
                self._special_ids[s] = new_id
        # Ordinary tokens: bytes -> lowest id (special ids excluded).
        special_id_set = set(self._special_ids.values())
        self._token_ids = {}
        for i in sorted(self.vocab):
            if i not in special_id_set:
                self._token_ids.setdefault(self.vocab[i], i)
        # Merge ranks (a pair learned twice keeps both ranks, in order).
        self._ranks = defaultdict(list)
        for rank, pair in enumerate(self.merges):
            self._ranks[pair].append(rank)
        self._ranks = dict(self._ranks)
        pattern = _special_pattern(specials)
        self._special_re = re.compile(f"({pattern})") if pattern else None
        self._cache = {}

    @classmethod
    def train(cls, text: str, vocab_size: int, special_tokens: list[str] | None = None) -> "BPETokenizer":
        """Learn merges from text until the vocabulary has vocab_size entries.

        1. Cut the special tokens out of text; pre-tokenize each piece and count
           pre-token frequencies.
        2. Repeat: count adjacent pairs over all pre-tokens, weighted by frequency
           (in "aaa" the pair (a, a) counts twice); merge the most frequent pair
           (ties -> the lexicographically greatest (bytes, bytes) pair), replacing
           its occurrences left to right without overlap ("aaa" -> "aa" "a").
        3. Stop at vocab_size - len(special_tokens) - 256 merges or when no pair is left.
        Ids: 0..255 bytes, 256 + m for merge m, then the special tokens in order.
        Example: train("aaa", 257).merges == [(b"a", b"a")].
        """
        if not isinstance(text, str):
            raise ValueError(f"text must be a str, got {type(text).__name__}")
        specials = _check_special_tokens(special_tokens)
        if isinstance(vocab_size, bool) or not isinstance(vocab_size, numbers.Integral):
            raise ValueError(f"vocab_size must be an int, got {vocab_size!r}")
        if vocab_size < 256 + len(specials):
            raise ValueError(
                f"vocab_size must be >= 256 + len(special_tokens) = {256 + len(specials)}, got {vocab_size}"
            )

        # 1. Pre-token frequencies (special tokens are cut out and never merged).
        pattern = _special_pattern(specials)
        pieces = re.split(pattern, text) if pattern else [text]
        pretoken_freq = Counter()
        for piece in pieces:
            pretoken_freq.update(re.findall(PRETOKEN_PATTERN, piece))
        words = [[_BYTES[b] for b in word.encode("utf-8")] for word in pretoken_freq]
        freqs = list(pretoken_freq.values())

        # 2. Pair counts, and which words hold each pair (so a merge only revisits those).
        pair_counts = defaultdict(int)
        pair_words = defaultdict(set)
        for wid, tokens in enumerate(words):
            for pair in zip(tokens, tokens[1:]):
                pair_counts[pair] += freqs[wid]
                pair_words[pair].add(wid)
        heap = [(-count, _Greatest(pair)) for pair, count in pair_counts.items()]
        heapq.heapify(heap)

        merges = []
        num_merges = vocab_size - 256 - len(specials)
        while len(merges) < num_merges:
            best = None
            while heap:  # lazy deletion: skip entries whose count is out of date
                neg_count, key = heapq.heappop(heap)
                if pair_counts.get(key.pair, 0) == -neg_count:
                    best = key.pair
                    break
            if best is None:
                break  # no pair left
            merges.append(best)
            merged = best[0] + best[1]
            changed = set()
            for wid in pair_words.pop(best):
                old, freq = words[wid], freqs[wid]
                new = _merge_pair(old, best, merged)
                words[wid] = new
                old_pairs = list(zip(old, old[1:]))
                new_pairs = list(zip(new, new[1:]))
                for pair in old_pairs:
                    pair_counts[pair] -= freq
                for pair in new_pairs:
                    pair_counts[pair] += freq
                old_set, new_set = set(old_pairs), set(new_pairs)
                for pair in old_set - new_set:
                    if pair in pair_words:
                        pair_words[pair].discard(wid)
                for pair in new_set - old_set:
                    pair_words[pair].add(wid)
                changed |= old_set | new_set
            for pair in changed:
                count = pair_counts.get(pair, 0)
                if count > 0:
                    heapq.heappush(heap, (-count, _Greatest(pair)))
                else:
                    pair_counts.pop(pair, None)
                    if not pair_words.get(pair, True):
                        del pair_words[pair]

        # 3. The vocabulary: bytes, then merges, then special tokens.
        vocab = {i: _BYTES[i] for i in range(256)}
        for m, (first, second) in enumerate(merges):
            vocab[256 + m] = first + second
        for j, s in enumerate(specials):
            vocab[256 + len(merges) + j] = s.encode("utf-8")
        return cls(vocab, merges, specials)

    def encode(self, text: str) -> list[int]:
        """Text -> ids.

        Special tokens (longest first) become their ids; every other chunk is
        pre-tokenized and each pre-token's bytes are merged by applying the
        learned merges in the order they were learned.
        Example (after train("aaa", 257)): encode("aaa") == [256, 97].
        """
        if not isinstance(text, str):
            raise ValueError(f"text must be a str, got {type(text).__name__}")
        chunks = self._special_re.split(text) if self._special_re else [text]
        ids = []
        for index, chunk in enumerate(chunks):
            if index % 2 == 1:  # the capturing group puts the special tokens at odd positions
                ids.append(self._special_ids[chunk])
                continue
            for pretoken in re.findall(PRETOKEN_PATTERN, chunk):
                cached = self._cache.get(pretoken)
                if cached is None:
                    tokens = _apply_merges([_BYTES[b] for b in pretoken.encode("utf-8")], self._ranks)
                    try:
                        cached = [self._token_ids[t] for t in tokens]
                    except KeyError as e:
                        raise ValueError(f"text needs the token {e.args[0]!r}, which is not in the vocab") from None
                    self._cache[pretoken] = cached
                ids.extend(cached)
        return ids

    def decode(self, ids: list[int]) -> str:
        """Ids -> text: join the tokens' bytes and decode as UTF-8 (errors="replace").

        An unknown id raises ValueError. decode(encode(s)) == s for every string s.
        """
        if hasattr(ids, "tolist"):
            ids = ids.tolist()
        pieces = []
        for token_id in ids:
            token = self.vocab.get(token_id) if isinstance(token_id, numbers.Integral) else None
            if token is None:
                raise ValueError(f"ids contains an unknown token id: {token_id!r}")
            pieces.append(token)
        return b"".join(pieces).decode("utf-8", errors="replace")
