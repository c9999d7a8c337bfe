"""A byte-level BPE tokenizer: pre-tokenization, training, encoding, decoding.

Every string is UTF-8 bytes, so ids 0..255 (one per byte) can spell any text;
training adds one id per learned merge (256, 257, ...), then the special tokens.
"""
import heapq
import numbers
import re
from collections import Counter, defaultdict

PRETOKEN_PATTERN = r" ?\w+| ?[^\s\w]+|\s+(?!\S)|\s+"


def pretokenize(text: str) -> list[str]:
    """Split text into pre-tokens with PRETOKEN_PATTERN; merges never cross them.

    pretokenize("Diego eats pizza") == ["Diego", " eats", " pizza"]
    pretokenize("Hi!  ok") == ["Hi", "!", " ", " ok"]
    Joining the pre-tokens gives back the text.
    """
    # TODO: Return re.findall with PRETOKEN_PATTERN on text.
    raise NotImplementedError('Return re.findall with PRETOKEN_PATTERN on text.')


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
        # TODO: Store the vocab, merges and special tokens and build the tables encode needs.
        raise NotImplementedError('Store the vocab, merges and special tokens and build the tables encode needs.')

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
        # TODO: Count pre-token frequencies, then repeatedly merge the most frequent pair and build the vocab.
        raise NotImplementedError('Count pre-token frequencies, then repeatedly merge the most frequent pair and build the vocab.')

    def encode(self, text: str) -> list[int]:
        """Text -> ids.

        Special tokens (longest first) become their ids; every other chunk is
        pre-tokenized and each pre-token's bytes are merged by applying the
        learned merges in the order they were learned.
        Example (after train("aaa", 257)): encode("aaa") == [256, 97].
        """
        # TODO: Split out special tokens, pre-tokenize the rest and apply the merges to each pre-token.
        raise NotImplementedError('Split out special tokens, pre-tokenize the rest and apply the merges to each pre-token.')

    def decode(self, ids: list[int]) -> str:
        """Ids -> text: join the tokens' bytes and decode as UTF-8 (errors="replace").

        An unknown id raises ValueError. decode(encode(s)) == s for every string s.
        """
        # TODO: Look up each id's bytes, join them and decode as UTF-8 with errors="replace".
        raise NotImplementedError('Look up each id\'s bytes, join them and decode as UTF-8 with errors="replace".')
