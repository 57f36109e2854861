"""The performance benchmark (issue 9): `python -m bench.run [--scale province|small|national]`.

Every measurement runs in its own process, on the same generated files, so that timings do not
share warm caches and each has its own peak memory (`ru_maxrss`).
"""
