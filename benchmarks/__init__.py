"""pubterm's benchmark suite: what a person sees, timed on a pseudo-terminal.

Run with ``python -m benchmarks`` (see benchmarks/README.md).  Every figure is taken on
this machine in the same run as the yardstick it is compared with (a minimal Textual app,
Biopython), in shuffled paired rounds, so a slow or busy machine moves both and the
ratios still mean something.  Nothing here touches the internet: the network is the
local fixture server from ``tests/server.py`` with injected latency.
"""
