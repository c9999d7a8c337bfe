"""Token embeddings and sinusoidal positional encodings."""
import numbers

import torch


def embed(token_ids: torch.Tensor, table: torch.Tensor) -> torch.Tensor:
    """Look up one row of the embedding table per token id.

    token_ids: LongTensor [..., L] with ids in [0, V); table: [V, d] -> [..., L, d]
    Example: with table = [[0., 0.], [1., 2.], [3., 4.]], embed([[2, 1]], table)
    == [[[3., 4.], [1., 2.]]]. An id outside [0, V) raises ValueError.
    """
    # TODO: Check the ids are in [0, V) and return the rows of table they select.
    raise NotImplementedError('Check the ids are in [0, V) and return the rows of table they select.')


def sinusoidal_positional_encoding(seq_len: int, d_model: int) -> torch.Tensor:
    """The sinusoidal position table PE of shape [seq_len, d_model] (float32).

    PE[p, 2i]   = sin(p / 10000^(2i / d_model))
    PE[p, 2i+1] = cos(p / 10000^(2i / d_model))
    Columns are interleaved (sin, cos, sin, cos, ...); for odd d_model the last
    column is a sine column. Row 0 is [0, 1, 0, 1, ...].
    """
    # TODO: Build the table with sines in the even columns and cosines in the odd columns.
    raise NotImplementedError('Build the table with sines in the even columns and cosines in the odd columns.')


def embed_with_positions(token_ids: torch.Tensor, table: torch.Tensor) -> torch.Tensor:
    """Token embeddings plus positions: ``embed(token_ids, table) + PE[:L]``.

    token_ids: [..., L], table: [V, d] -> [..., L, d]; no sqrt(d) scaling.
    The same PE row is added at position p in every sequence of the batch.
    """
    # TODO: Add the first L rows of the positional encoding to the embeddings.
    raise NotImplementedError('Add the first L rows of the positional encoding to the embeddings.')
