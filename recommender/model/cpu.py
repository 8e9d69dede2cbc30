"""CPU math settings for PaddlePaddle, applied before the first matrix product.

Paddle's CPU wheel bundles MKL 2019, which on non-Intel CPUs (this project's AMD EPYC
machines) dispatches to its slowest generic kernels: matrix products run ~2.5x slower and
training becomes several times slower. MKL_DEBUG_CPU_TYPE=5 makes that MKL version use its
AVX2 kernels. It is read when MKL first runs, so it must be set before any paddle math; a
value already in the environment (e.g. set by the worker's service file) wins.
"""

from __future__ import annotations

import os

import paddle


def configure_cpu(threads: int | None = None) -> None:
    """Fast MKL kernels, and `threads` math threads if given (paddle's default is 1)."""
    os.environ.setdefault("MKL_DEBUG_CPU_TYPE", "5")
    if threads is not None:
        paddle.set_flags({"FLAGS_paddle_num_threads": threads})
