"""Token embeddings and sinusoidal positional encodings."""
import numbers

import torch


def embed(token_ids: torch.Tensor, table: torch.Tensor) -> torch.Tensor:
    """Look up one row of the embedding table per token id.

    token_ids: LongTensor [..., L] with ids in [0, V); table: [V, d] -> [..., L, d]
    Example: with table = [[0., 0.], [1., 2.], [3., 4.]], embed([[2, 1]], table)
    == [[[3., 4.], [1., 2.]]]. An id outside [0, V) raises ValueError.
    """
    if not isinstance(table, torch.Tensor) or table.ndim != 2:
        raise ValueError("table must be a 2-D tensor of shape [V, d]")
    if not isinstance(token_ids, torch.Tensor):
        raise ValueError(f"token_ids must be an integer torch.Tensor, got {type(token_ids).__name__}")
    if token_ids.dtype == torch.bool or token_ids.is_floating_point() or token_ids.is_complex():
        raise ValueError(f"token_ids must hold integer ids, got dtype {token_ids.dtype}")
    vocab_size = table.shape[0]
    if token_ids.numel() > 0 and (int(token_ids.min()) < 0 or int(token_ids.max()) >= vocab_size):
        raise ValueError(
            f"token_ids must lie in [0, {vocab_size}), got min {int(token_ids.min())} and max {int(token_ids.max())}"
        )
    return table[token_ids]


def sinusoidal_positional_encoding(seq_len: int, d_model: int) -> torch.Tensor:
    """The sinusoidal position table PE of shape [seq_len, d_model] (float32).

    PE[p, 2i]   = sin(p / 10000^(2i / d_model))
    PE[p, 2i+1] = cos(p / 10000^(2i / d_model))
    Columns are interleaved (sin, cos, sin, cos, ...); for odd d_model the last
    column is a sine column. Row 0 is [0, 1, 0, 1, ...].
    """
    if not isinstance(seq_len, numbers.Integral) or seq_len < 0:
        raise ValueError(f"seq_len must be a non-negative int, got {seq_len!r}")
    if not isinstance(d_model, numbers.Integral) or d_model < 1:
        raise ValueError(f"d_model must be a positive int, got {d_model!r}")
    seq_len, d_model = int(seq_len), int(d_model)
    positions = torch.arange(seq_len, dtype=torch.float64).unsqueeze(1)  # [L, 1]
    columns = torch.arange(d_model)
    two_i = (columns - columns % 2).to(torch.float64)  # 2i for both column 2i and 2i+1
    angles = positions / 10000.0 ** (two_i / d_model)  # [L, d]
    pe = torch.where(columns % 2 == 0, torch.sin(angles), torch.cos(angles))
    return pe.to(torch.float32)


def embed_with_positions(token_ids: torch.Tensor, table: torch.Tensor) -> torch.Tensor:
    """Token embeddings plus positions: ``embed(token_ids, table) + PE[:L]``.

    token_ids: [..., L], table: [V, d] -> [..., L, d]; no sqrt(d) scaling.
    The same PE row is added at position p in every sequence of the batch.
    """
    embeddings = embed(token_ids, table)
    if token_ids.ndim < 1:
        raise ValueError("token_ids must have shape [..., L] with at least one dimension")
    pe = sinusoidal_positional_encoding(token_ids.shape[-1], table.shape[1])
    return embeddings + pe.to(embeddings.dtype)
