"""pubterm's benchmark suite: start-up, fetching and big lists measured against floors.

Run with ``python -m benchmarks`` (see benchmarks/README.md).  Every figure is taken on
this machine in the same run as the floor it is compared with, so a slow or busy machine
moves both and the ratios still mean something.  Nothing here touches the internet: the
network is the local fixture server from ``tests/server.py`` with injected latency.
"""
