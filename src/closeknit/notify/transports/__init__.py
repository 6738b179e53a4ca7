"""One small module per kind of channel, behind one interface (see base.py).

Adding a channel is one file here, one line in REGISTRY, and its tests.
"""
