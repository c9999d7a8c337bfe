"""Public checks for tokenizer.py (run them with `autograder check tokenizer` or `pytest`)."""

from autograder.checks import equal, raises_value_error

try:  # a trained tokenizer comes back as a handle on the sandboxed object
    from autograder.student import Handle
except ImportError:  # pragma: no cover
    Handle = ()


def _encode(tok, text):
    """tok.encode(text); on a sandbox handle the name ``encode`` is taken by the wire protocol."""
    if Handle and isinstance(tok, Handle):
        return Handle.__getattr__(tok, "encode")(text)
    return tok.encode(text)


def test_pretokenize_examples(student):
    """pretokenize splits words with their leading space, punctuation and whitespace runs"""
    equal(student.tokenizer.pretokenize("Diego eats pizza"), ["Diego", " eats", " pizza"], what='pretokenize("Diego eats pizza")')
    equal(student.tokenizer.pretokenize("Hi!  ok"), ["Hi", "!", " ", " ok"], what='pretokenize("Hi!  ok")')


def test_train_aaa(student):
    """Training on "aaa" learns the merge (a, a) as id 256; encode("aaa") == [256, 97]"""
    tok = student.tokenizer.BPETokenizer.train("aaa", 257)
    equal(_encode(tok, "aaa"), [256, 97], what='encode("aaa")')
    equal(tok.decode([256, 97]), "aaa", what="decode([256, 97])")


def test_special_token(student):
    """A special token gets the id after the merges and is never split"""
    tok = student.tokenizer.BPETokenizer.train("aaa", 258, special_tokens=["<|endoftext|>"])
    equal(_encode(tok, "aaa<|endoftext|>a"), [256, 97, 257, 97], what='encode("aaa<|endoftext|>a")')
    equal(tok.decode([257]), "<|endoftext|>", what="decode([257])")


def test_roundtrip(student, draw):
    """decode(encode(s)) == s, also for emoji, accents and whitespace runs"""
    tok = student.tokenizer.BPETokenizer.train(draw.english(200), 300, special_tokens=["<|endoftext|>"])
    for _ in range(3):
        s = draw.unicode_text(60) + "<|endoftext|>" + draw.english(5)
        equal(tok.decode(_encode(tok, s)), s, what="decode(encode(s))")
    equal(_encode(tok, ""), [], what='encode("")')


def test_errors(student):
    """A too small vocab_size and an unknown id raise ValueError"""
    raises_value_error(student.tokenizer.BPETokenizer.train, "hello", 256, special_tokens=["<|endoftext|>"],
                       names=("vocab_size", "vocab size", "vocabulary size"), what="train with vocab_size 256 and one special token")
    tok = student.tokenizer.BPETokenizer.train("hello hello", 260)
    raises_value_error(tok.decode, [104, 260], names=("ids", " id", "token"), what="decode of the id 260 with vocab_size 260")
